import { defineRule, type Quoter } from '../core/rule.js';
import { alterTable, columnDefinition, lines } from './sql.js';

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
  },
  check({ change, q }) {
    const bare = (table: string) => table.slice(table.indexOf('.') + 1);
    if (change.kind === 'add column') {
      const { column, table } = change;
      if (!column.unique || column.primaryKey) return [];
      const name = `${bare(table)}_${column.name}_key`.slice(0, 63);
      return [
        {
          message: `The inline UNIQUE on new column ${column.name} builds an index over every row of ${table} while ACCESS EXCLUSIVE blocks reads and writes.`,
          safeAlternative: lines(
            alterTable(q, table, `ADD COLUMN ${columnDefinition(q, column)}`),
            attachUnique(q, table, name, [column.name], false),
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
    const name = c.name ?? `${bare(change.table)}_${c.columns.join('_')}_key`.slice(0, 63);
    return [
      {
        message: `Adding UNIQUE ${name} builds its index over every row of ${change.table} while ACCESS EXCLUSIVE blocks reads and writes.`,
        safeAlternative: lines(attachUnique(q, change.table, name, c.columns, c.nullsNotDistinct)),
      },
    ];
  },
});

function attachUnique(
  q: Quoter,
  table: string,
  name: string,
  columns: readonly string[],
  nullsNotDistinct: boolean,
): string[] {
  return [
    "-- outside a transaction block (disable the runner's transaction for this migration):",
    `CREATE UNIQUE INDEX CONCURRENTLY ${q.ident(name)} ON ${q.table(table)} (${columns.map(q.ident).join(', ')})${nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''};`,
    '-- if it fails (duplicates, or a conflict), it leaves an INVALID index: DROP INDEX CONCURRENTLY it, fix, retry.',
    '-- then (catalog only, a brief ACCESS EXCLUSIVE):',
    alterTable(q, table, `ADD CONSTRAINT ${q.ident(name)} UNIQUE USING INDEX ${q.ident(name)}`),
  ];
}
