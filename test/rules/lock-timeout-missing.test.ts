import { ruleTester } from '../support/rule-tester.js';

ruleTester('lock-timeout-missing', {
  valid: [
    "SET lock_timeout = '2s'; ALTER TABLE users ADD COLUMN a int",
    'CREATE TABLE t (id int)',
    'CREATE INDEX CONCURRENTLY i ON users (name)',
    {
      name: 'lock already held in the transaction',
      sql: "BEGIN; SET LOCAL lock_timeout = '1s'; ALTER TABLE users ADD COLUMN a int; SET LOCAL lock_timeout = 0; ALTER TABLE users ADD COLUMN b int; COMMIT",
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN a int',
      message: /No lock_timeout is set before taking ACCESS EXCLUSIVE on public\.users/,
      severity: 'warning',
      safeStillFlagged: true,
    },
    {
      name: 'reported once per file',
      sql: 'ALTER TABLE users ADD COLUMN a int; ALTER TABLE orders ADD COLUMN b int',
      count: 1,
      safeStillFlagged: true,
    },
    {
      name: 'lock_timeout = 0 disables it',
      sql: 'SET lock_timeout = 0; ALTER TABLE users ADD COLUMN a int',
      safeStillFlagged: true,
    },
  ],
});
