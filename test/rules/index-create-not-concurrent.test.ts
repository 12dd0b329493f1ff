import { ruleTester } from '../support/rule-tester.js';

ruleTester('index-create-not-concurrent', {
  valid: [
    'CREATE INDEX CONCURRENTLY users_name_idx ON users (name)',
    'CREATE TABLE t (id int); CREATE INDEX t_id_idx ON t (id)',
  ],
  invalid: [
    {
      sql: 'CREATE INDEX users_name_idx ON users (name)',
      message: /holds SHARE on public\.users/,
      safe: /CREATE INDEX CONCURRENTLY users_name_idx ON users \(name\);/,
      severity: 'error',
    },
    {
      sql: 'CREATE UNIQUE INDEX orders_note_key ON orders (note)',
      safe: /CREATE UNIQUE INDEX CONCURRENTLY orders_note_key/,
    },
    { name: 'small table: warning', sql: 'CREATE INDEX s_idx ON settings (value)', severity: 'warning' },
  ],
});
