import { ruleTester } from '../support/rule-tester.js';

ruleTester('add-required-column', {
  valid: [
    'ALTER TABLE users ADD COLUMN nickname text',
    "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free'",
    'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN x int NOT NULL',
    {
      name: 'a foreign table: PostgreSQL enforces no constraint on it, nothing fails',
      sql: 'ALTER FOREIGN TABLE remote_users ADD COLUMN plan text NOT NULL',
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN plan text NOT NULL',
      message: /public\.users\.plan is NOT NULL without a default.*fails if public\.users has rows/,
      safe: /ADD COLUMN plan text;/,
      severity: 'error',
    },
  ],
});
