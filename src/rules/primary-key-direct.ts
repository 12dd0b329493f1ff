import { defineRule } from '../core/rule.js';
import { ended, lines } from './sql.js';

/**
 * ADD PRIMARY KEY builds its unique index under ACCESS EXCLUSIVE, and first makes every key
 * column NOT NULL, which scans the table under the same lock when a column is nullable. The
 * online path: NOT NULL through a validated CHECK, CREATE UNIQUE INDEX CONCURRENTLY, then
 * ADD PRIMARY KEY USING INDEX (catalog only).
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-ADD-TABLE-CONSTRAINT-USING-INDEX
 */
export default defineRule({
  meta: {
    id: 'primary-key-direct',
    category: 'locking',
    severity: 'error',
    description: 'ADD PRIMARY KEY builds its index (and checks NOT NULL) under ACCESS EXCLUSIVE',
    kinds: ['add constraint'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, q, major, table: tableOf, sql }) {
    if (!sql) return [];
    if (change.kind !== 'add constraint' || change.constraint.type !== 'primary key') return [];
    const c = change.constraint;
    if (c.usingIndex) return [];
    const { table } = change;
    const columns = tableOf(table)?.columns;
    // Unknown columns count as nullable: the CHECK steps are harmless on a NOT NULL column.
    const nullable = c.columns.filter((name) => columns?.find((col) => col.name === name)?.nullable ?? true);
    const name = c.name ?? `${table.slice(table.indexOf('.') + 1).slice(0, 58)}_pkey`;
    return [
      {
        message:
          `Adding PRIMARY KEY ${name} builds its index over every row of ${table} while ACCESS EXCLUSIVE blocks reads and writes` +
          (nullable.length > 0
            ? `, and first makes ${nullable.join(', ')} NOT NULL, which scans the table under the same lock.`
            : '.'),
        safeAlternative: lines(
          nullable.flatMap((col) => sql.notNullScript(q, table, col, major)),
          "-- outside a transaction block (disable the runner's transaction for this migration):",
          `CREATE UNIQUE INDEX CONCURRENTLY ${q.ident(name)} ON ${q.table(table)} (${c.columns.map(q.ident).join(', ')});`,
          '-- then (catalog only once the columns are NOT NULL):',
          ended(
            sql.alterTable(
              q,
              table,
              `ADD CONSTRAINT ${q.ident(name)} PRIMARY KEY USING INDEX ${q.ident(name)}`,
            ),
          ),
        ),
      },
    ];
  },
});
