import { describe, expect, it } from 'vitest';
import { findingsFor, ruleTester } from '../support/rule-tester.js';

ruleTester('missing-object', {
  valid: [
    'ALTER TABLE users ADD COLUMN nickname text',
    'ALTER TABLE users ALTER COLUMN email SET NOT NULL',
    'ALTER TABLE users DROP COLUMN IF EXISTS no_such_col',
    'ALTER TABLE users ADD COLUMN IF NOT EXISTS email text',
    'CREATE TABLE IF NOT EXISTS users (id int)',
    'DROP TABLE IF EXISTS no_such_table',
    'DROP INDEX IF EXISTS no_such_index',
    // Created earlier in the migration: exists by then.
    'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN a int; CREATE INDEX t_a ON t (a)',
    'ALTER TABLE users RENAME COLUMN name TO full_name; ALTER TABLE users ALTER COLUMN full_name SET NOT NULL',
    // A schema that was not inspected, or after a DO block, the engine cannot tell.
    'ALTER TABLE other_schema.t ADD COLUMN a int',
    "DO $$ BEGIN EXECUTE 'CREATE TABLE made_by_do (id int)'; END $$; ALTER TABLE made_by_do ADD COLUMN a int",
    // Foreign tables are not inspected: the engine cannot tell.
    'ALTER FOREIGN TABLE remote_items ALTER COLUMN a SET NOT NULL',
    // Without a schema nothing is known.
    { sql: 'ALTER TABLE no_such_table ADD COLUMN a int', schema: null },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE no_such_table ADD COLUMN a int',
      message: /table public\.no_such_table does not exist at this point of the migration.*42P01/,
      severity: 'error',
    },
    {
      sql: 'ALTER TABLE users ALTER COLUMN no_such_col SET NOT NULL',
      message: /public\.users has no column "no_such_col".*42703/,
    },
    { sql: 'ALTER TABLE users ADD COLUMN email text', message: /already has a column email.*42701/ },
    { sql: 'CREATE TABLE users (id int)', message: /public\.users already exists.*42P07/ },
    { sql: 'CREATE INDEX users_x ON users (no_such_col)', message: /has no column "no_such_col"/ },
    {
      sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES no_such_table (id)',
      message: /referenced table public\.no_such_table does not exist/,
    },
    { sql: 'DROP TABLE no_such_table', message: /public\.no_such_table does not exist/ },
    {
      name: 'dropped earlier in the migration',
      sql: 'ALTER TABLE users DROP COLUMN name; ALTER TABLE users ALTER COLUMN name DROP NOT NULL',
      message: /has no column "name"/,
    },
  ],
});

describe('missing-object against the schema as the migration leaves it', () => {
  it('renamed tables are found under their new name only', async () => {
    const findings = await findingsFor('missing-object', {
      sql: 'ALTER TABLE settings RENAME TO prefs; ALTER TABLE settings ADD COLUMN a int; ALTER TABLE prefs ADD COLUMN b int',
    });
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/public\.settings does not exist/),
    ]);
  });
});
