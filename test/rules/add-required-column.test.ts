import { ruleTester } from '../support/rule-tester.js';

ruleTester('add-required-column', {
  valid: [
    'ALTER TABLE users ADD COLUMN nickname text',
    "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free'",
    'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN x int NOT NULL',
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
