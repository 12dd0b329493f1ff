/**
 * ADD COLUMN and DROP COLUMN, the two ALTER TABLE forms with restrictions, as
 * https://www.sqlite.org/lang_altertable.html lists them ("ALTER TABLE ADD COLUMN",
 * "ALTER TABLE DROP COLUMN"); each refusal is one the library raises (its message quoted),
 * checked by test/dialects/sqlite/facts/columns.test.ts.
 */
import type { ChangeFacts } from '../../../core/analysis.js';
import type { ChangeOf } from '../../../core/change.js';
import type { FactContext } from '../../../core/facts.js';
import type { Table } from '../../../core/snapshot.js';
import { SQLITE } from '../version.js';
import { refused, writeLock } from './locks.js';

const NON_CONSTANT = new Set(['current_time', 'current_date', 'current_timestamp']);

export function addColumnFacts(
  change: ChangeOf<'add column'>,
  ctx: FactContext,
  base: ChangeFacts,
): ChangeFacts {
  const c = change.column;
  const fix = 'rebuild the table (the 12-step procedure)';
  if (c.primaryKey) return refused(base, 'Cannot add a PRIMARY KEY column', [fix]);
  if (c.unique) return refused(base, 'Cannot add a UNIQUE column', [fix]);
  if (c.generated?.stored) return refused(base, 'cannot add a STORED column', [fix]);
  const dflt = c.default;
  // A default in parentheses is allowed when it is constant (`DEFAULT (1)`), not otherwise.
  if (dflt && !dflt.constant && (dflt.functions.some((f) => NON_CONSTANT.has(f)) || !dflt.constant))
    return refused(base, 'Cannot add a column with non-constant default', [fix]);
  const nullDefault = dflt === null || /^null$/i.test(dflt.sql.trim());
  if (c.notNull && nullDefault && !c.generated)
    return refused(base, 'Cannot add a NOT NULL column with default value NULL', [
      'SQLite refuses it whether or not the table has rows',
    ]);
  const foreignKeys = (ctx.sessionVariable?.('foreign_keys') ?? 'on').toLowerCase();
  if (c.references && !nullDefault && !['off', '0', 'false', 'no'].includes(foreignKeys))
    return refused(base, 'Cannot add a REFERENCES column with non-NULL default value', [
      'only while foreign_keys is on',
    ]);
  const lock = writeLock(change.table, ctx, false);
  const checked = c.checks.length > 0 || (c.generated !== null && c.notNull);
  const scans = checked && ctx.major >= SQLITE.addColumnChecksRows;
  return {
    ...base,
    locks: lock.locks,
    scansTable: scans,
    validates: scans
      ? [
          ...(c.checks.length ? (['check'] as const) : []),
          ...(c.generated && c.notNull ? (['not null'] as const) : []),
        ]
      : [],
    rejectsExistingValues: scans,
    notes: [
      'in place: only the schema in sqlite_schema changes; existing rows read the default until rewritten',
      ...(checked
        ? [
            scans
              ? 'its CHECK / NOT NULL on a generated column is checked against every existing row (3.37.0+)'
              : 'its CHECK is not checked against existing rows before SQLite 3.37.0',
          ]
        : []),
      ...lock.notes,
    ],
  };
}

/** Whether `column` appears as a word in `sql` (quoted or not), as SQLite's own check reparses. */
export function mentions(sql: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w$])["\`[]?${escaped}["\`\\]]?($|[^\\w$])`, 'i').test(sql);
}

/** Why SQLite refuses to drop `column` of `table`, or null (the list of lang_altertable.html). */
export function dropColumnRefusal(table: Table, column: string, views: string[]): string | null {
  const lower = column.toLowerCase();
  const is = (name: string): boolean => name.toLowerCase() === lower;
  if (table.primaryKey?.columns.some(is)) return `cannot drop PRIMARY KEY column: "${column}"`;
  if (table.uniqueConstraints.some((u) => u.columns.length === 1 && u.columns.some(is)))
    return `cannot drop UNIQUE column: "${column}"`;
  for (const index of table.indexes) {
    if (index.primary || index.constraint !== null) {
      if (index.columns.some((c) => mentions(c, column)))
        return `error in index ${index.name} after drop column`;
      continue;
    }
    if (
      index.columns.some((c) => mentions(c, column)) ||
      (index.predicate && mentions(index.predicate, column))
    )
      return `error in index ${index.name} after drop column: no such column: ${column}`;
  }
  // A multi-column UNIQUE: SQLite refuses when it reparses the table without the column.
  if (table.uniqueConstraints.some((u) => u.columns.length > 1 && u.columns.some(is)))
    return `error in table ${table.name} after drop column`;
  // A CHECK that names no other column may be the column's own, which goes with it.
  const others = table.columns.filter((c) => !is(c.name)).map((c) => c.name);
  const foreignCheck = (sql: string): boolean =>
    mentions(sql, column) && others.some((o) => mentions(sql, o));
  if (table.checkConstraints.some((c) => foreignCheck(c.definition)))
    return `error in table ${table.name} after drop column: no such column: ${column}`;
  for (const other of table.columns)
    if (other.generated && !is(other.name) && mentions(other.generated, column))
      return `error in table ${table.name} after drop column: no such column: ${column}`;
  for (const trigger of table.triggers)
    if (mentions(trigger.definition, column))
      return `error in trigger ${trigger.name} after drop column: no such column: ${column}`;
  const view = views[0];
  if (view)
    return `error in view ${view.slice(view.indexOf('.') + 1)} after drop column: no such column: ${column}`;
  return null;
}

export function dropColumnFacts(
  change: ChangeOf<'drop column'>,
  ctx: FactContext,
  base: ChangeFacts,
): ChangeFacts {
  if (ctx.major < SQLITE.dropColumn)
    return refused(base, 'DROP COLUMN needs SQLite 3.35.0+ (a syntax error before)', [
      'rebuild the table (the 12-step procedure)',
    ]);
  const table = ctx.table(change.table);
  const why = table
    ? dropColumnRefusal(table, change.column, ctx.dependentViews(change.table, change.column))
    : null;
  if (why)
    return refused(base, why, [
      'drop or rebuild what uses the column first, or rebuild the table (the 12-step procedure)',
    ]);
  const lock = writeLock(change.table, ctx, true);
  const lower = change.column.toLowerCase();
  // A column's own REFERENCES goes with it; a table FOREIGN KEY (col) makes SQLite refuse, and
  // the schema does not say which of the two was written.
  const inForeignKey =
    table?.foreignKeys.some((f) => f.columns.some((c) => c.toLowerCase() === lower)) ?? false;
  return {
    ...base,
    locks: lock.locks,
    rewritesTable: true,
    notes: [
      'rewrites every row of the table to purge the column (time grows with the table)',
      ...(inForeignKey
        ? [
            'fails if its foreign key is written as a table constraint (FOREIGN KEY (col) …): "unknown column in foreign key definition"',
          ]
        : []),
      ...(table
        ? []
        : [
            'the table is unknown: SQLite refuses the drop if the column is indexed or used by a constraint, trigger or view',
          ]),
      ...lock.notes,
    ],
  };
}
