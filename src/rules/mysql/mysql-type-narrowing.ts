import type { Quoter } from '../../core/rule.js';
import { defineRule } from '../../core/rule.js';
import { columnChange } from './column-change.js';
import { integerRange, narrows, type MysqlType } from './types.js';
import { shown } from './words.js';

/**
 * A narrower type (shorter VARCHAR, smaller integer, fewer DECIMAL digits, ENUM values removed)
 * changes what existing rows hold. Under a strict sql_mode (the default) the ALTER stops on the
 * first value that does not fit (error 1265/1264) after copying up to it; without one it cuts or
 * clamps those values silently. Afterwards, writes of the running code that no longer fit fail.
 * https://dev.mysql.com/doc/refman/8.0/en/sql-mode.html#sql-mode-strict
 */
export default defineRule({
  meta: {
    id: 'mysql-type-narrowing',
    category: 'breaking',
    severity: 'error',
    description:
      'A narrower column type fails on (or, without strict mode, silently cuts) values that do not fit',
    kinds: ['alter column type'],
    scalesWithSize: false,
    skipNewTables: true,
    aboutExistingRows: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change, q } = ctx;
    if (change.kind !== 'alter column type') return [];
    const c = columnChange(ctx, change);
    if (!c || !narrows(c.from, c.to)) return [];
    const col = `${shown(change.table)}.${change.column}`;
    const misfit = misfitCondition(q, q.ident(change.column), c.from, c.to);
    return [
      {
        message: `Changing ${col} from ${c.current.type} to ${change.type.sql} narrows it: with a strict sql_mode the ALTER fails on the first value that does not fit, and without one it cuts or clamps those values silently; afterwards writes of the running code that do not fit fail.`,
        safeAlternative: misfit
          ? [
              '-- run first; it must return 0 (fix or widen those rows before narrowing):',
              `SELECT count(*) FROM ${q.table(change.table)} WHERE ${misfit};`,
            ].join('\n')
          : null,
      },
    ];
  },
});

/** Rows whose value the new type would reject or change; null when no simple test exists. */
function misfitCondition(q: Quoter, col: string, from: MysqlType, to: MysqlType): string | null {
  const range = integerRange(to);
  if (range) return `${col} NOT BETWEEN ${range[0]} AND ${range[1]}`;
  if ((to.base === 'varchar' || to.base === 'char') && to.args[0] !== undefined)
    return `CHAR_LENGTH(${col}) > ${to.args[0]}`;
  if ((to.base === 'varbinary' || to.base === 'binary') && to.args[0] !== undefined)
    return `LENGTH(${col}) > ${to.args[0]}`;
  if (to.base === 'decimal') {
    const [p = 10, s = 0] = to.args;
    const limit = `1${'0'.repeat(Math.max(0, p - s))}`;
    return `ABS(${col}) >= ${limit} OR ${col} <> ROUND(${col}, ${s})${to.unsigned ? ` OR ${col} < 0` : ''}`;
  }
  if (to.base === 'enum' || to.base === 'set') {
    const removed = from.values.filter((v) => !to.values.includes(v));
    if (removed.length === 0) return null;
    const list = removed.map(q.literal).join(', ');
    return to.base === 'enum'
      ? `${col} IN (${list})`
      : removed.map((v) => `FIND_IN_SET(${q.literal(v)}, ${col}) > 0`).join(' OR ');
  }
  const TEXT_BYTES: Record<string, number> = { tinytext: 255, text: 65535, mediumtext: 16777215 };
  const bytes = TEXT_BYTES[to.base];
  if (bytes !== undefined) return `LENGTH(${col}) > ${bytes}`;
  return null;
}
