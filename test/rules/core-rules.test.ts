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
      message: /volatile default gen_random_uuid\(\) rewrites public\.users/,
      safe: /ADD COLUMN token uuid;\nALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid\(\);[\s\S]*VALIDATE CONSTRAINT users_token_not_null;\nALTER TABLE users ALTER COLUMN token SET NOT NULL;/,
      severity: 'error',
    },
    {
      name: 'any default rewrites before PostgreSQL 11',
      sql: 'ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false',
      major: 10,
      message: /before PostgreSQL 11 any default/,
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

ruleTester('set-not-null-scan', {
  valid: [
    {
      name: 'a validated CHECK proves it on 12+',
      sql: `ALTER TABLE users ADD CONSTRAINT n CHECK (name IS NOT NULL) NOT VALID; COMMIT;
            ALTER TABLE users VALIDATE CONSTRAINT n; ALTER TABLE users ALTER COLUMN name SET NOT NULL`,
    },
    'ALTER TABLE users ALTER COLUMN email SET NOT NULL',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ALTER COLUMN name SET NOT NULL',
      message: /reads every row while holding ACCESS EXCLUSIVE/,
      safe: /CHECK \(name IS NOT NULL\) NOT VALID/,
    },
    {
      name: 'PostgreSQL 11 scans even with a CHECK',
      major: 11,
      sql: `ALTER TABLE users ADD CONSTRAINT n CHECK (name IS NOT NULL) NOT VALID;
            ALTER TABLE users VALIDATE CONSTRAINT n; ALTER TABLE users ALTER COLUMN name SET NOT NULL`,
      safeStillFlagged: true,
    },
  ],
});

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

ruleTester('foreign-key-validated-inline', {
  valid: [
    'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID',
    'CREATE TABLE t (id int, user_id bigint REFERENCES users (id))',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE',
      message: /SHARE ROW EXCLUSIVE on both/,
      safe: /REFERENCES users \(id\) ON DELETE CASCADE NOT VALID;[\s\S]*VALIDATE CONSTRAINT orders_user_fk;/,
    },
    {
      name: 'inline REFERENCES on ADD COLUMN',
      sql: 'ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users (id)',
      safe: /ADD CONSTRAINT orders_buyer_id_fkey FOREIGN KEY \(buyer_id\) REFERENCES users \(id\) NOT VALID/,
    },
  ],
});

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

ruleTester('drop-column', {
  valid: ['ALTER TABLE users ADD COLUMN a int', 'CREATE TABLE t (a int, b int); ALTER TABLE t DROP COLUMN b'],
  invalid: [
    {
      sql: 'ALTER TABLE users DROP COLUMN email',
      message: /Dropping public\.users\.email breaks every query.*Views that read it: public\.user_emails/,
      severity: 'error',
      safeStillFlagged: true,
    },
  ],
});

ruleTester('unrecognized-statement', {
  valid: ['ALTER TABLE users ADD COLUMN a int'],
  invalid: [{ sql: 'DO $$ BEGIN PERFORM 1; END $$', message: /^DO is not analyzed/, severity: 'info' }],
});
