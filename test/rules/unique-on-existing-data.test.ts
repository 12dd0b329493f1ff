import { ruleTester } from '../support/rule-tester.js';

ruleTester('unique-on-existing-data', {
  valid: [
    'CREATE INDEX CONCURRENTLY users_email_idx ON users (email)',
    {
      name: 'the unique index exists already',
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key',
    },
    { name: 'new table', sql: 'CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a_key ON t (a)' },
  ],
  invalid: [
    {
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)',
      message:
        /^Adding unique index users_email_key to public\.users, which already has rows: it fails if a value repeats/,
      safe: /\nSELECT email, count\(\*\) FROM users WHERE email IS NOT NULL GROUP BY email HAVING count\(\*\) > 1 LIMIT 20;$/,
      severity: 'warning',
    },
    {
      name: 'expression and partial index',
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY users_email_lower_key ON users (lower(email)) WHERE score > 0',
      safe: /SELECT \(lower\(email\)\), count\(\*\) FROM users WHERE \(score > 0\) AND \(lower\(email\)\) IS NOT NULL GROUP BY \(lower\(email\)\)/,
    },
    {
      name: 'a primary key also rejects NULLs: they are not filtered out',
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_note_pkey PRIMARY KEY (note)',
      safe: /SELECT note, count\(\*\) FROM orders GROUP BY note HAVING/,
    },
    {
      sql: 'ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE NULLS NOT DISTINCT (name)',
      safe: /SELECT name, count\(\*\) FROM users GROUP BY name/,
    },
    {
      name: 'small table: the same severity',
      sql: 'ALTER TABLE settings ADD UNIQUE (value)',
      severity: 'warning',
    },
    {
      name: 'empty table: only the writers are at risk',
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY audit_payload_key ON audit (payload)',
      message:
        /^Adding unique index audit_payload_key to public\.audit: writes of the running code that repeat a value will fail/,
    },
  ],
});
