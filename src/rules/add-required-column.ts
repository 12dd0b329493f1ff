import { defineRule } from '../core/rule.js';
import { alterTable, batchedBackfill, columnDefinition, lines, notNullViaCheck } from './sql.js';

/**
 * ADD COLUMN … NOT NULL without a default: fails on a table that has rows, and every INSERT of
 * the application version still running (which does not know the column) fails after it.
 */
export default defineRule({
  meta: {
    id: 'add-required-column',
    category: 'breaking',
    severity: 'error',
    description:
      'ADD COLUMN NOT NULL without a default breaks existing INSERTs and fails on non-empty tables',
    kinds: ['add column'],
    scalesWithSize: false,
    skipNewTables: true,
  },
  check({ change, q, major, table: tableOf }) {
    // A foreign table's constraints are not enforced by PostgreSQL: nothing fails here.
    // https://www.postgresql.org/docs/current/sql-createforeigntable.html
    if (change.kind !== 'add column' || change.foreignTable) return [];
    const { column, table } = change;
    if (!column.notNull || column.default || column.identity || column.type.serial || column.generated)
      return [];
    const rows = tableOf(table)?.stats.rowEstimate;
    const fails = rows === undefined || rows === null || rows > 0;
    return [
      {
        message:
          `${table}.${column.name} is NOT NULL without a default: inserts from code that does not set it will fail` +
          (fails ? `, and the statement itself fails if ${table} has rows.` : '.'),
        safeAlternative: lines(
          alterTable(q, table, `ADD COLUMN ${columnDefinition(q, column, { notNull: false })}`),
          '-- deploy code that writes the column, then backfill old rows in batches (choose the value):',
          batchedBackfill(q, table, column.name, '<value>').map((l) => (l.startsWith('--') ? l : `-- ${l}`)),
          notNullViaCheck(q, table, column.name, major),
        ),
      },
    ];
  },
});
