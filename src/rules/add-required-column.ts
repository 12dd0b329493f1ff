import { defineRule } from '../core/rule.js';
import { mysqlRequiredColumn } from './mysql/required-column.js';
import { columnDefinition, ended, lines } from './sql.js';

/**
 * ADD COLUMN … NOT NULL without a default: fails on a table that has rows, and every INSERT of
 * the application version still running (which does not know the column) fails after it. On
 * MySQL the ALTER itself succeeds (rows get the type's zero value), and the INSERTs fail.
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
    aboutExistingRows: true,
  },
  check(ctx) {
    const { change, q, major, table: tableOf, isNew, sql } = ctx;
    if (ctx.dialect === 'mysql') return change.kind === 'add column' ? mysqlRequiredColumn(ctx, change) : [];
    // SQLite refuses the statement on a table with rows: sqlite-add-column-refused reports it.
    if (ctx.dialect === 'sqlite') return [];
    if (!sql) return [];
    // A foreign table's constraints are not enforced by PostgreSQL: nothing fails here.
    // https://www.postgresql.org/docs/current/sql-createforeigntable.html
    if (change.kind !== 'add column' || change.foreignTable) return [];
    const { column, table } = change;
    if (!column.notNull || column.default || column.identity || column.type.serial || column.generated)
      return [];
    if (isNew(table)) {
      // Only reported for a new table once the migration put rows in it (aboutExistingRows).
      return [
        {
          message: `${table}.${column.name} is NOT NULL without a default, and ${table} already has rows that this migration put there: the statement fails. Add the column before the rows are inserted, or give it a DEFAULT.`,
          safeAlternative: null,
        },
      ];
    }
    const rows = tableOf(table)?.stats.rowEstimate;
    const fails = rows === undefined || rows === null || rows > 0;
    return [
      {
        message:
          `${table}.${column.name} is NOT NULL without a default: inserts from code that does not set it will fail` +
          (fails ? `, and the statement itself fails if ${table} has rows.` : '.'),
        // The value old rows should get is the author's to choose, so the backfill cannot be
        // written; the steps that need it come after it, commented out, for a later migration.
        safeAlternative: lines(
          ended(sql.alterTable(q, table, `ADD COLUMN ${columnDefinition(q, column, { notNull: false })}`)),
          `-- deploy code that writes ${column.name}; fill it in the rows that have none (with the value they should have, in batches);`,
          '-- then, in a later migration:',
          sql.notNullScript(q, table, column.name, major).map((l) => (l.startsWith('--') ? l : `-- ${l}`)),
        ),
      },
    ];
  },
});
