import { ruleTester } from '../support/rule-tester.js';

ruleTester('concurrently-in-transaction', {
  valid: [
    'CREATE INDEX CONCURRENTLY users_name_idx ON users (name)',
    {
      name: 'golang-migrate: a file with one statement runs outside a transaction',
      runner: 'golang-migrate',
      sql: 'CREATE INDEX CONCURRENTLY users_name_idx ON users (name)',
    },
    {
      name: 'not concurrent: allowed in a transaction',
      sql: 'BEGIN; CREATE INDEX users_name_idx ON users (name); COMMIT',
    },
    { name: 'ANALYZE may run in a transaction', runner: 'rails', sql: 'ANALYZE users' },
    {
      name: 'after COMMIT',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; COMMIT; DROP INDEX CONCURRENTLY users_name_idx',
    },
  ],
  invalid: [
    {
      runner: 'rails',
      sql: 'CREATE INDEX CONCURRENTLY users_name_idx ON users (name)',
      message:
        /^CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and here it runs inside the transaction the migration runner opens/,
      safe: /Flyway: a migration holding only this statement[\s\S]*executeInTransaction=false[\s\S]*Rails: disable_ddl_transaction![\s\S]*\nCREATE INDEX CONCURRENTLY users_name_idx ON users \(name\);$/,
      severity: 'error',
      // The fix is the runner's setting, not the SQL: under the same runner it is still wrapped.
      safeStillFlagged: true,
    },
    {
      name: 'DROP DATABASE refuses a transaction block too (facts.transactional, not a list of kinds)',
      runner: 'rails',
      sql: 'DROP DATABASE legacy',
      message: /^DROP DATABASE cannot run inside a transaction block/,
      safeStillFlagged: true,
    },
    {
      sql: 'BEGIN; DROP INDEX CONCURRENTLY users_name_idx; COMMIT',
      message: /inside the BEGIN … COMMIT block of this file/,
      safe: /^-- move it outside BEGIN … COMMIT[^\n]*\nDROP INDEX CONCURRENTLY users_name_idx;$/,
    },
    {
      name: 'golang-migrate: several statements share one implicit transaction',
      runner: 'golang-migrate',
      sql: "SET lock_timeout = '1s'; CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)",
      message: /^CREATE UNIQUE INDEX CONCURRENTLY .* implicit transaction/,
      safe: /a migration file of its own/,
    },
    {
      name: 'it fails on a new table too',
      sql: 'BEGIN; CREATE TABLE t (id int); CREATE INDEX CONCURRENTLY t_id_idx ON t (id); COMMIT',
    },
    { runner: 'rails', sql: 'REINDEX TABLE CONCURRENTLY users', safeStillFlagged: true },
    {
      runner: 'rails',
      sql: 'VACUUM users',
      message: /^VACUUM cannot run inside a transaction block/,
      safeStillFlagged: true,
    },
    {
      name: 'ADD VALUE before PostgreSQL 12',
      major: 11,
      runner: 'rails',
      sql: "ALTER TYPE order_status ADD VALUE 'refunded'",
      message: /before PostgreSQL 12/,
      safeStillFlagged: true,
    },
  ],
});
