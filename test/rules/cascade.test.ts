import { ruleTester } from '../support/rule-tester.js';

ruleTester('cascade', {
  valid: [
    'DROP TABLE settings',
    'TRUNCATE audit',
    'ALTER TABLE users DROP COLUMN score',
    { name: 'new table', sql: 'CREATE TABLE t (id int); DROP TABLE t CASCADE' },
  ],
  invalid: [
    {
      sql: 'DROP TABLE settings CASCADE',
      message: /^DROP TABLE … CASCADE also drops everything that depends on it/,
      safe: /\nDROP TABLE settings;$/,
      severity: 'error',
    },
    {
      name: 'a materialized view is named as one',
      sql: 'DROP MATERIALIZED VIEW user_emails CASCADE',
      message: /^DROP MATERIALIZED VIEW … CASCADE also drops/,
    },
    {
      sql: 'TRUNCATE audit, orders CASCADE',
      message: /empties every table with a foreign key to public\.audit, public\.orders/,
      safe: /\nTRUNCATE audit, orders;$/,
    },
    {
      sql: 'ALTER TABLE users DROP COLUMN IF EXISTS email CASCADE',
      safe: /\nALTER TABLE users DROP COLUMN IF EXISTS email;$/,
    },
    {
      sql: 'ALTER TABLE users DROP CONSTRAINT users_pkey CASCADE',
      safe: /\nALTER TABLE users DROP CONSTRAINT users_pkey;$/,
    },
    { sql: 'DROP VIEW user_emails CASCADE', safe: /\nDROP VIEW user_emails;$/ },
    { sql: 'DROP TYPE order_status CASCADE', safe: /\nDROP TYPE order_status;$/ },
    { sql: 'DROP SCHEMA billing CASCADE', safe: /\nDROP SCHEMA billing;$/ },
  ],
});
