import { ruleTester } from '../support/rule-tester.js';

ruleTester('add-column-volatile-default', {
  valid: [
    'ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false',
    'ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT now()',
    'ALTER TABLE users ADD COLUMN token uuid',
    {
      name: 'new table: nobody uses it yet',
      sql: 'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid()',
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()',
      message: /volatile default gen_random_uuid\(\), which rewrites public\.users/,
      safe: /ADD COLUMN token uuid;\nALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid\(\);[\s\S]*UPDATE users SET token = gen_random_uuid\(\) WHERE \(token IS NULL\) AND id >= sp_from[\s\S]*VALIDATE CONSTRAINT users_token_not_null;\nALTER TABLE users ALTER COLUMN token SET NOT NULL;/,
      severity: 'error',
    },
    {
      name: 'any default rewrites before PostgreSQL 11',
      sql: 'ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false',
      major: 10,
      message: /a default \(false\) on PostgreSQL 10, where any default rewrites public\.users/,
    },
    {
      name: 'small table: warning only',
      sql: `ALTER TABLE settings ADD COLUMN r float8 DEFAULT random()`,
      severity: 'warning',
    },
    {
      name: 'empty table: info',
      sql: `ALTER TABLE audit ADD COLUMN r float8 DEFAULT random()`,
      severity: 'info',
    },
    {
      name: 'unknown function assumed volatile',
      sql: `ALTER TABLE users ADD COLUMN r text DEFAULT my_func()`,
      message: /my_func/,
    },
  ],
});
