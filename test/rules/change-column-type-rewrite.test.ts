import { ruleTester } from '../support/rule-tester.js';

ruleTester('change-column-type-rewrite', {
  valid: [
    { name: 'varchar grows: binary-coercible', sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(200)' },
    { name: 'varchar → text', sql: 'ALTER TABLE users ALTER COLUMN name TYPE text' },
    { name: 'numeric gains precision', sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2)' },
    {
      name: 'timestamp → timestamptz with TimeZone UTC (12+)',
      sql: 'ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz',
      config: { timeZoneIsUtc: true },
    },
    { name: 'new table', sql: 'CREATE TABLE t (n int); ALTER TABLE t ALTER COLUMN n TYPE bigint' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ALTER COLUMN score TYPE bigint',
      message:
        /rewrites the table and rebuilds its indexes while ACCESS EXCLUSIVE blocks reads and writes \(integer → bigint changes the storage size\)\. Only binary-coercible changes skip the rewrite: varchar\(n\) → larger n or text/,
      safe: /^ALTER TABLE users ADD COLUMN score_new bigint;\n[\s\S]*NEW\.score_new := \(SELECT score FROM \(SELECT NEW\.\*\) AS new_row\);[\s\S]*UPDATE users SET score_new = score WHERE \(score_new IS NULL AND \(score\) IS NOT NULL\) AND id >= sp_from[\s\S]*-- ALTER TABLE users RENAME COLUMN score_new TO score;$/,
      severity: 'error',
    },
    {
      name: 'USING is kept for the copy',
      sql: 'ALTER TABLE orders ALTER COLUMN note TYPE integer USING note::integer',
      safe: /UPDATE orders SET note_new = note::int(eger)? WHERE/,
    },
    {
      name: 'timestamp → timestamptz rewrites unless TimeZone is UTC',
      sql: 'ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz',
      message: /rewrites unless the session TimeZone is UTC/,
      safe: /ALTER TABLE users ADD CONSTRAINT users_created_at_new_not_null CHECK \(created_at_new IS NOT NULL\) NOT VALID;/,
    },
    {
      name: 'small table: warning',
      sql: 'ALTER TABLE settings ALTER COLUMN value TYPE jsonb USING value::jsonb',
      severity: 'warning',
    },
  ],
});
