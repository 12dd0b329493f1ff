import type { SafeSql } from '../core/dialect/safe-sql.js';
import { defineRule, type Quoter } from '../core/rule.js';
import { columnDefinition, ended, lines } from './sql.js';

/**
 * ADD CONSTRAINT … UNIQUE builds its index while holding ACCESS EXCLUSIVE: every read and write
 * waits for the whole build. Building the index with CREATE UNIQUE INDEX CONCURRENTLY and then
 * attaching it (ADD CONSTRAINT … UNIQUE USING INDEX, catalog only) gives the same constraint.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-ADD-TABLE-CONSTRAINT-USING-INDEX
 */
export default defineRule({
  meta: {
    id: 'unique-constraint-direct',
    category: 'locking',
    severity: 'error',
    description: 'ADD UNIQUE builds its index under ACCESS EXCLUSIVE; build it concurrently and attach it',
    kinds: ['add constraint', 'add column'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, q, sql }) {
    if (!sql) return [];
    if (change.kind === 'add column') {
      const { column, table } = change;
      if (!column.unique || column.primaryKey) return [];
      // The name the server would give it, cut as the server cuts it.
      const name = sql.names.server(table, [column.name], 'key');
      return [
        {
          message: `The inline UNIQUE on new column ${column.name} builds an index over every row of ${table} while ACCESS EXCLUSIVE blocks reads and writes.`,
          safeAlternative: lines(
            ended(sql.alterTable(q, table, `ADD COLUMN ${columnDefinition(q, column)}`)),
            attachUnique(sql, q, table, name, [column.name], false),
          ),
        },
      ];
    }
    if (
      change.kind !== 'add constraint' ||
      change.constraint.type !== 'unique' ||
      change.constraint.usingIndex
    )
      return [];
    const c = change.constraint;
    const name = c.name ?? sql.names.server(change.table, c.columns, 'key');
    return [
      {
        message: `Adding UNIQUE ${name} builds its index over every row of ${change.table} while ACCESS EXCLUSIVE blocks reads and writes.`,
        safeAlternative: lines(attachUnique(sql, q, change.table, name, c.columns, c.nullsNotDistinct)),
      },
    ];
  },
});

function attachUnique(
  sql: SafeSql,
  q: Quoter,
  table: string,
  name: string,
  columns: readonly string[],
  nullsNotDistinct: boolean,
): string[] {
  return [
    "-- outside a transaction block (disable the runner's transaction for this migration):",
    ended(
      sql.indexes.create(q, {
        table,
        name,
        columns: columns.map(q.ident),
        unique: true,
        concurrently: true,
        nullsNotDistinct,
      }),
    ),
    '-- if it fails (duplicates, or a conflict), it leaves an INVALID index: DROP INDEX CONCURRENTLY it, fix, retry.',
    '-- then (catalog only, a brief ACCESS EXCLUSIVE):',
    ended(sql.constraints.attachIndex(q, table, name, 'UNIQUE')),
  ];
}
