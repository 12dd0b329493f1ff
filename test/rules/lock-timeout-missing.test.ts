import { ruleTester } from '../support/rule-tester.js';

ruleTester('lock-timeout-missing', {
  valid: [
    "SET lock_timeout = '2s'; ALTER TABLE users ADD COLUMN a int",
    'CREATE TABLE t (id int)',
    'CREATE INDEX CONCURRENTLY i ON users (name)',
    {
      name: 'CREATE OR REPLACE VIEW of a view that does not exist yet: nobody waits on it',
      sql: 'CREATE OR REPLACE VIEW active_users AS SELECT id FROM users WHERE score > 0',
    },
    {
      name: 'a view the migration created, replaced and dropped',
      sql: 'CREATE VIEW v AS SELECT id FROM settings; CREATE OR REPLACE VIEW v AS SELECT id, value FROM settings; DROP VIEW v',
    },
    {
      name: 'LOCK … NOWAIT fails at once instead of queueing',
      sql: 'BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE NOWAIT; COMMIT',
    },
    {
      name: 'a lock that blocks no traffic (ROW EXCLUSIVE, as DML takes)',
      sql: 'BEGIN; LOCK TABLE users IN ROW EXCLUSIVE MODE; COMMIT',
    },
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
    // Statements whose listed locks block traffic on an existing relation, whatever their kind.
    {
      name: 'CREATE TABLE … REFERENCES locks the referenced table',
      sql: 'CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))',
      message: /before taking SHARE ROW EXCLUSIVE on public\.orders/,
      safeStillFlagged: true,
    },
    {
      name: 'CREATE OR REPLACE VIEW',
      sql: 'CREATE OR REPLACE VIEW user_emails AS SELECT id, email, name FROM users',
      message: /before taking ACCESS EXCLUSIVE on public\.user_emails/,
      safeStillFlagged: true,
    },
    {
      name: 'DROP VIEW',
      sql: 'DROP VIEW user_emails',
      message: /ACCESS EXCLUSIVE on public\.user_emails/,
      safeStillFlagged: true,
    },
    {
      name: 'REFRESH MATERIALIZED VIEW',
      sql: 'REFRESH MATERIALIZED VIEW user_emails',
      message: /ACCESS EXCLUSIVE on public\.user_emails/,
      safeStillFlagged: true,
    },
    {
      name: 'LOCK TABLE, as seen in a real migration',
      sql: 'BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE; UPDATE users SET score = 0 WHERE id = 1; COMMIT',
      message: /before taking ACCESS EXCLUSIVE on public\.users/,
      safeStillFlagged: true,
    },
    {
      name: 'lock_timeout = 0 disables it',
      sql: 'SET lock_timeout = 0; ALTER TABLE users ADD COLUMN a int',
      safeStillFlagged: true,
    },
  ],
});
