import { ruleTester } from '../support/rule-tester.js';

ruleTester('statements-after-access-exclusive', {
  valid: [
    {
      name: 'LOCK TABLE after ACCESS EXCLUSIVE with a lock_timeout set',
      sql: "SET lock_timeout = '2s'; BEGIN; ALTER TABLE users ADD COLUMN a int; LOCK TABLE orders IN SHARE MODE; COMMIT",
    },
    {
      name: 'more catalog-only changes to the same table',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; ALTER TABLE users ADD COLUMN b int; COMMIT',
    },
    {
      name: 'a lock_timeout bounds the wait for the next table',
      sql: "SET lock_timeout = '2s'; BEGIN; ALTER TABLE users ADD COLUMN a int; ALTER TABLE orders ADD COLUMN b int; COMMIT",
    },
    {
      name: 'no transaction: each statement commits on its own',
      sql: 'ALTER TABLE users ADD COLUMN a int; CREATE INDEX orders_note_idx ON orders (note)',
    },
    {
      name: 'new tables',
      sql: 'BEGIN; CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN x int; CREATE INDEX t_x_idx ON t (x); COMMIT',
    },
    {
      name: 'VALIDATE after NOT VALID is validate-in-same-transaction’s finding',
      sql: 'BEGIN; ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT c; COMMIT',
    },
    {
      name: 'CONCURRENTLY in a transaction is concurrently-in-transaction’s finding',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note); COMMIT',
    },
    {
      name: 'a backfill after DDL is backfill-in-ddl-transaction’s finding',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; UPDATE users SET a = 1 WHERE id < 100; COMMIT',
    },
  ],
  invalid: [
    {
      name: 'LOCK TABLE on another table after ACCESS EXCLUSIVE, with no lock_timeout',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; LOCK TABLE orders IN SHARE MODE; COMMIT',
      message:
        /asks for SHARE on public\.orders while this transaction holds ACCESS EXCLUSIVE on public\.users/,
      safeStillFlagged: true,
    },
    {
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; CREATE INDEX orders_note_idx ON orders (note); COMMIT',
      message:
        /^The ACCESS EXCLUSIVE lock on public\.users stays held .* while this statement builds an index on public\.orders/,
      safe: /^-- end the transaction that locked public\.users first[^\n]*\nCREATE INDEX orders_note_idx ON orders \(note\);$/,
      severity: 'warning',
    },
    {
      name: 'waiting for a lock on another table, with no lock_timeout',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; ALTER TABLE orders ADD COLUMN b int; COMMIT',
      message:
        /asks for ACCESS EXCLUSIVE on public\.orders while this transaction holds ACCESS EXCLUSIVE on public\.users, with no lock_timeout/,
    },
    {
      name: 'a runner-wrapped file is one transaction',
      runner: 'rails',
      sql: 'ALTER TABLE settings ADD COLUMN a int; ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,2)',
      message: /rewrites public\.orders/,
    },
    {
      name: 'the work is on an empty table: info',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; CREATE INDEX audit_id_idx ON audit (id); COMMIT',
      severity: 'info',
    },
  ],
});
