/**
 * Statements that copy a whole table hold SQLite's database write lock while they do: the
 * hand-written rebuild, DROP COLUMN, VACUUM. Severity follows the table's size (users 1,000,000
 * rows, settings 50, audit empty). That DROP COLUMN rewrites the table and takes the lock is a
 * fact test/dialects/sqlite/facts/ measures; that a rebuild holds the lock against another
 * writer is run in claims.test.ts.
 */
import { sqliteRuleTester } from '../../support/sqlite-rule-tester.js';

const rebuild = (table: string, columns: string) =>
  `PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE new_${table} (${columns});
INSERT INTO new_${table} SELECT * FROM ${table};
DROP TABLE ${table};
ALTER TABLE new_${table} RENAME TO ${table};
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;`;

sqliteRuleTester('sqlite-rebuild-large-table', {
  valid: [
    {
      name: 'a table the file created',
      sql: 'CREATE TABLE t (a INTEGER, b TEXT); ALTER TABLE t DROP COLUMN b',
    },
    { name: 'a DROP COLUMN SQLite refuses copies nothing', sql: 'ALTER TABLE users DROP COLUMN email' },
    { name: 'DROP TABLE for good', sql: 'DROP TABLE audit' },
    { name: 'ADD COLUMN is in place', sql: 'ALTER TABLE users ADD COLUMN bio TEXT' },
    { name: 'VACUUM INTO writes a copy and changes nothing', sql: "VACUUM INTO '/tmp/copy.db'" },
  ],
  invalid: [
    {
      name: 'the rebuild of a 1,000,000-row table',
      sql: rebuild('users', 'id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL'),
      message:
        /^Rebuilding users \(~1,000,000 rows\) copies every row into the new table and builds its indexes again: SQLite locks the whole database, not a table: every other writer, on any table, waits \(and fails with SQLITE_BUSY once its busy_timeout passes\), and in rollback-journal mode \(the default; not WAL\) readers too once it outgrows the page cache, for the whole transaction \(~\d+(\.\d)? s estimated\)\. Run it at a quiet time/,
      severity: 'error',
      safe: null,
      count: 1,
    },
    {
      name: 'a small table: a warning',
      sql: rebuild('settings', "key TEXT PRIMARY KEY, value TEXT NOT NULL DEFAULT ''"),
      message: /^Rebuilding settings \(~50 rows\)/,
      severity: 'warning',
    },
    {
      name: 'DROP COLUMN rewrites every row',
      sql: 'ALTER TABLE users DROP COLUMN score',
      message:
        /^DROP COLUMN score rewrites every row of users \(~1,000,000 rows\) to purge the column: SQLite locks the whole database/,
      severity: 'error',
    },
    {
      name: 'in WAL mode readers go on',
      sql: 'PRAGMA journal_mode = WAL;\nALTER TABLE users DROP COLUMN score',
      message: /waits \(and fails with SQLITE_BUSY once its busy_timeout passes\), for the whole statement/,
    },
    { name: 'an empty table: information', sql: 'ALTER TABLE audit DROP COLUMN at', severity: 'info' },
    {
      name: 'without a schema the size is unknown',
      schema: null,
      sql: 'ALTER TABLE users DROP COLUMN score',
      message: /estimated for a table of unknown size\)/,
    },
    {
      name: 'VACUUM rebuilds the whole file',
      sql: 'VACUUM',
      message:
        /^VACUUM rebuilds the whole database file, every table and index, and needs as much free disk again/,
      severity: 'warning',
      safeStillFlagged: true,
    },
    {
      name: 'VACUUM inside a transaction fails',
      sql: 'BEGIN;\nVACUUM;\nCOMMIT;',
      message:
        /It cannot run inside a transaction: here it fails \("cannot VACUUM from within a transaction"\)/,
    },
  ],
});
