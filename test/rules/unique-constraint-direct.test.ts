import { ruleTester } from '../support/rule-tester.js';

ruleTester('unique-constraint-direct', {
  valid: [
    'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key',
    'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)',
    { name: 'new table', sql: 'CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)',
      message:
        /Adding UNIQUE users_email_key builds its index over every row of public\.users while ACCESS EXCLUSIVE blocks reads and writes/,
      safe: /\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users \(email\);\n[\s\S]*\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;$/,
      severity: 'error',
    },
    {
      name: 'unnamed: PostgreSQL’s own name is used',
      sql: 'ALTER TABLE orders ADD UNIQUE (user_id, note)',
      safe: /CREATE UNIQUE INDEX CONCURRENTLY orders_user_id_note_key ON orders \(user_id, note\);/,
    },
    {
      sql: 'ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE NULLS NOT DISTINCT (name)',
      safe: /ON users \(name\) NULLS NOT DISTINCT;/,
    },
    {
      name: 'inline UNIQUE on a new column',
      sql: 'ALTER TABLE users ADD COLUMN handle text UNIQUE',
      safe: /^ALTER TABLE users ADD COLUMN handle text;\n[\s\S]*CREATE UNIQUE INDEX CONCURRENTLY users_handle_key ON users \(handle\);/,
    },
    { name: 'small table: warning', sql: 'ALTER TABLE settings ADD UNIQUE (value)', severity: 'warning' },
  ],
});
