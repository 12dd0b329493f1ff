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
      // The value for old rows is the author's: no placeholder, the NOT NULL steps wait for a later migration.
      safe: /^ALTER TABLE users ADD COLUMN plan text;\n-- deploy code that writes plan; fill it in the rows that have none [^\n]*\n-- then, in a later migration:\n-- ALTER TABLE users ADD CONSTRAINT users_plan_not_null CHECK \(plan IS NOT NULL\) NOT VALID;/,
      severity: 'error',
    },
  ],
});
