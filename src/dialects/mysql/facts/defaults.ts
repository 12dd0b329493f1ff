/**
 * Defaults and the other column attributes a MODIFY restates: DEFAULT, AUTO_INCREMENT and a
 * generated expression, each a no-op when the column already has it. Measured on MariaDB 10.11
 * (test/dialects/mysql/facts/cases/columns.ts); MySQL's manual rows "Setting/Dropping the column
 * default value" say the same (Instant Yes).
 */
import type { ChangeOf, ColumnSpec } from '../../../core/change.js';
import type { FactContext } from '../../../core/facts.js';
import type { Table } from '../../../core/snapshot.js';
import { columnOf, columnsIn } from './catalog.js';
import { copy, instant, noop, rebuild, WORDS, type Operation } from './operation.js';
import type { Server } from './server.js';

/**
 * Defaults every existing row gets the same value of, computed once by the ALTER: constants,
 * the clock as of the ALTER, and (measured, a surprise) RAND(). UUID(), SYSDATE(), sequences
 * and column references give each row its own value: MariaDB copies the table for them.
 */
const ONCE_PER_ALTER = new Set([
  'now',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'curdate',
  'current_date',
  'curtime',
  'current_time',
  'utc_date',
  'utc_time',
  'utc_timestamp',
  'unix_timestamp',
  'rand',
]);
const PURE = new Set([
  'concat',
  'lower',
  'upper',
  'json_object',
  'json_array',
  'coalesce',
  'ifnull',
  'date_add',
  'date_sub',
  'cast',
  'convert',
  'round',
  'floor',
  'ceil',
  'abs',
  'concat_ws',
  'substring',
  'left',
  'right',
  'trim',
  'replace',
  'md5',
  'sha1',
  'sha2',
  'hex',
  'unhex',
  'from_unixtime',
  'point',
  'st_geomfromtext',
]);

/** Why each existing row needs its own default (null: one value serves every row). */
export function perRowDefault(column: ColumnSpec, table: Table | undefined): string | null {
  const d = column.default;
  if (!d || d.constant) return null;
  const refs = columnsIn(d.sql, table);
  if (refs.length > 0) return `the default reads ${refs.join(', ')} of each row`;
  const perRow = d.functions.filter((f) => !ONCE_PER_ALTER.has(f) && !PURE.has(f));
  return perRow.length > 0
    ? `${perRow.map((f) => `${f}()`).join(', ')} gives each row its own default`
    : null;
}

export function defaultChange(
  change: ChangeOf<'set default'> | ChangeOf<'drop default'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const column = columnOf(ctx.table(change.table), change.column, ctx.statementChanges);
  const wanted = change.kind === 'set default' ? change.default.sql : null;
  if (column && sameDefault(column.default, wanted)) return noop(server.evidence);
  // MariaDB measured; manual "Setting/Dropping the column default value": Instant Yes.
  return instant(server.evidence, ['a new default applies to new rows only: instant']);
}

function sameDefault(current: string | null, wanted: string | null): boolean {
  const norm = (d: string | null) =>
    d === null || /^null$/i.test(d)
      ? null
      : d
          .replace(/^\((.*)\)$/s, '$1')
          .replace(/\(\)$/, '')
          .replace(/^'(.*)'$/s, '$1')
          .toLowerCase();
  return norm(current) === norm(wanted);
}

export function identity(change: ChangeOf<'add identity'>, ctx: FactContext, server: Server): Operation {
  const column = columnOf(ctx.table(change.table), change.column, ctx.statementChanges);
  if (column?.identity) return noop(server.evidence);
  return copy(server.evidence, [`makes the column AUTO_INCREMENT: ${WORDS.copy}`], { rejects: true });
}

export function generated(
  change: ChangeOf<'set generated expression'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const column = columnOf(ctx.table(change.table), change.column, ctx.statementChanges);
  const strip = (s: string | null | undefined) => (s ?? '').replace(/[`\s()]/g, '').toLowerCase();
  if (column?.generated && strip(column.generated) === strip(change.expr?.sql)) return noop(server.evidence);
  if (column?.generatedKind === 'virtual')
    return rebuild(server.evidence, [
      'a new VIRTUAL expression: indexes on it are rebuilt; taken as a rebuild',
    ]);
  return copy(server.evidence, [`a new generated expression is computed for every row: ${WORDS.copy}`]);
}
