import { ruleTester } from '../support/rule-tester.js';

ruleTester('type-narrowing', {
  valid: [
    'ALTER TABLE users ALTER COLUMN name TYPE varchar(200)',
    'ALTER TABLE users ALTER COLUMN score TYPE bigint',
    {
      name: 'new table',
      sql: 'CREATE TABLE t (a varchar(100)); ALTER TABLE t ALTER COLUMN a TYPE varchar(10)',
    },
  ],
  invalid: [
    {
      name: 'lower time precision rounds instead of failing',
      sql: 'ALTER TABLE users ALTER COLUMN created_at TYPE timestamp(0)',
      message: /rounds every existing value to the lower precision/,
      safe: /SELECT count\(\*\) FROM users WHERE created_at <> created_at::timestamp\(0\) without time zone;/,
    },
    {
      sql: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(50)',
      message:
        /narrows it: the statement fails \(after rewriting the table\) if an existing value does not fit/,
      safe: /^-- run first; it must return 0:\nSELECT count\(\*\) FROM users WHERE char_length\(name::text\) > 50;\n[\s\S]*ADD CONSTRAINT users_name_fits CHECK \(char_length\(name\) <= 50\) NOT VALID;/,
      severity: 'error',
    },
    {
      sql: 'ALTER TABLE users ALTER COLUMN id TYPE integer',
      safe: /WHERE id NOT BETWEEN -2147483648 AND 2147483647;[\s\S]*CHECK \(id BETWEEN -2147483648 AND 2147483647\)/,
    },
    {
      sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(8,2)',
      safe: /WHERE abs\(total\) >= 1000000 OR total <> round\(total, 2\);/,
    },
    {
      name: 'integer → varchar: the misfit query reads the integers as text, and no char_length CHECK',
      sql: 'ALTER TABLE users ALTER COLUMN score TYPE varchar(5)',
      safe: /^-- run first; it must return 0:\nSELECT count\(\*\) FROM users WHERE char_length\(score::text\) > 5;$/,
    },
    {
      name: 'no query finds the misfits before PostgreSQL 16: says so, no comment posing as SQL',
      major: 15,
      sql: 'ALTER TABLE users ALTER COLUMN created_at TYPE date',
      message:
        /Check first that every value of created_at fits date \(pg_input_is_valid, PostgreSQL 16\+, tests it in SQL\)\.$/,
      safe: null,
    },
    {
      name: 'small table: still an error',
      sql: 'ALTER TABLE settings ALTER COLUMN id TYPE smallint',
      severity: 'error',
    },
  ],
});
