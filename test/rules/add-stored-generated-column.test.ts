import { ruleTester } from '../support/rule-tester.js';

ruleTester('add-stored-generated-column', {
  valid: [
    'ALTER TABLE users ADD COLUMN email_lower text',
    {
      name: 'PostgreSQL 18: a VIRTUAL column is computed on read',
      major: 18,
      sql: 'ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) VIRTUAL',
    },
    {
      name: 'new table',
      sql: 'CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED',
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED',
      message: /computes it for every row of public\.users: the table is rewritten/,
      safe: /^ALTER TABLE users ADD COLUMN email_lower text;\n[\s\S]*NEW\.email_lower := \(SELECT lower\(email\) FROM \(SELECT NEW\.\*\) AS new_row\);[\s\S]*BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_email_lower_sync\(\);[\s\S]*UPDATE users SET email_lower = lower\(email\) WHERE \(email_lower IS NULL AND \(lower\(email\)\) IS NOT NULL\) AND id >= sp_from AND id < sp_from \+ 10000;/,
      severity: 'error',
    },
    {
      name: 'PostgreSQL 18: mentions VIRTUAL',
      major: 18,
      sql: 'ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED',
      safe: /-- ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS \(lower\(email\)\) VIRTUAL;/,
    },
    {
      name: 'small table: warning',
      sql: 'ALTER TABLE settings ADD COLUMN v2 text GENERATED ALWAYS AS (upper(value)) STORED',
      severity: 'warning',
    },
  ],
});
