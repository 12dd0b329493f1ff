/**
 * RENAME COLUMN on MySQL as expand/contract: a new column next to the old one, kept in step by
 * two BEFORE triggers (single statements: no DELIMITER needed), existing rows copied in
 * batches, the old column dropped in a later release. Checked on MariaDB (both columns stay in
 * step whichever one old or new code writes) by test/rules/mysql/safe-run.test.ts.
 * https://dev.mysql.com/doc/refman/8.0/en/trigger-syntax.html
 */
import type { ChangeOf } from '../../core/change.js';
import type { FindingDraft, RuleContext } from '../../core/rule.js';
import { generatedNames } from '../../schema/names.js';
import { BATCH_ROWS, addColumnClause } from './expand.js';
import { alterTable } from './sql.js';

/** MySQL's identifier limit, in characters (64). */
const NAMES = generatedNames(64);

export function mysqlRenameColumn(
  ctx: RuleContext,
  change: ChangeOf<'rename column'>,
  message: string,
): FindingDraft {
  const { q } = ctx;
  const { table, column, newName } = change;
  const info = ctx.table(table);
  const current = info?.columns.find((c) => c.name === column);
  if (!info || !current)
    return {
      message: `${message} A safe alternative needs the type of ${column}: run with --db or --schema to get it.`,
      safeAlternative: null,
    };
  const [o, n] = [q.ident(column), q.ident(newName)];
  const t = q.table(table);
  const type = [
    current.type,
    ...(current.charset ? [`CHARACTER SET ${current.charset}`] : []),
    ...(current.collation ? [`COLLATE ${current.collation}`] : []),
  ].join(' ');
  const insert = q.ident(NAMES.helper(table, newName, 'sync_ins'));
  const update = q.ident(NAMES.helper(table, newName, 'sync_upd'));
  const add: ChangeOf<'add column'> = {
    kind: 'add column',
    table,
    ifNotExists: false,
    column: { ...emptyColumn(newName), type: { name: type, modifiers: [], arrayDims: 0, sql: type } },
  };
  const dependents = [
    ...info.indexes.filter((i) => !i.primary && i.columns.some((c) => c.replace(/\(\d+\)$/, '') === column)),
    ...info.foreignKeys.filter((fk) => fk.columns.includes(column)),
  ].map((d) => d.name);
  return {
    message,
    safeAlternative: [
      alterTable(q, table, [`ADD COLUMN ${n} ${type} NULL`], addColumnClause(ctx, add)),
      `-- both columns stay in step while old code writes ${column} and new code writes ${newName}:`,
      `CREATE TRIGGER ${insert} BEFORE INSERT ON ${t} FOR EACH ROW SET NEW.${n} = COALESCE(NEW.${n}, NEW.${o}), NEW.${o} = COALESCE(NEW.${o}, NEW.${n});`,
      // Whichever column the statement changed wins; left alone, the new one follows the old.
      `CREATE TRIGGER ${update} BEFORE UPDATE ON ${t} FOR EACH ROW SET NEW.${o} = IF(${same(`NEW.${o}`, `OLD.${o}`)} AND NOT ${same(`NEW.${n}`, `OLD.${n}`)}, NEW.${n}, NEW.${o}), NEW.${n} = IF(${same(`NEW.${n}`, `OLD.${n}`)}, NEW.${o}, NEW.${n});`,
      '-- copy existing rows; run it again until it changes 0 rows:',
      `UPDATE ${t} SET ${n} = ${o} WHERE ${n} IS NULL AND ${o} IS NOT NULL LIMIT ${BATCH_ROWS};`,
      ...(current.nullable
        ? []
        : [
            '-- then (a rebuild in place; writes go on):',
            alterTable(q, table, [`MODIFY ${n} ${type} NOT NULL`], 'ALGORITHM=INPLACE, LOCK=NONE'),
          ]),
      ...(dependents.length > 0
        ? [`-- give ${newName} its own copy of ${dependents.join(', ')} (they go when ${column} is dropped);`]
        : []),
      `-- deploy code that uses ${newName}; then, in a later release, once nothing uses the old name:`,
      `-- DROP TRIGGER ${insert};`,
      `-- DROP TRIGGER ${update};`,
      `-- ${alterTable(q, table, [`DROP COLUMN ${o}`])}`,
      // Only now: with a default on both columns, the insert trigger could not tell which one old code wrote.
      ...(current.default
        ? [`-- ${alterTable(q, table, [`ALTER COLUMN ${n} SET DEFAULT ${current.default}`])}`]
        : []),
    ].join('\n'),
  };
}

/**
 * `a` and `b` are equal or both NULL, as a true boolean (never NULL). Spelled out rather than
 * with `<=>`, which the SQL parser schemapilot reads migrations with does not know.
 */
function same(a: string, b: string): string {
  return `COALESCE(${a} = ${b}, ${a} IS NULL AND ${b} IS NULL)`;
}

function emptyColumn(name: string): ChangeOf<'add column'>['column'] {
  return {
    name,
    type: { name: '', modifiers: [], arrayDims: 0, sql: '' },
    notNull: false,
    default: null,
    identity: null,
    generated: null,
    collation: null,
    primaryKey: false,
    unique: false,
    checks: [],
    references: null,
  };
}
