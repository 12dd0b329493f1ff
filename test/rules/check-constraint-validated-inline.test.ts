import { ruleTester } from '../support/rule-tester.js';

ruleTester('check-constraint-validated-inline', {
  valid: [
    'ALTER TABLE users ADD CONSTRAINT users_score_positive CHECK (score > 0) NOT VALID',
    'ALTER TABLE users VALIDATE CONSTRAINT users_score_positive',
    {
      name: 'new table',
      sql: 'CREATE TABLE t (n int); ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0)',
    },
    {
      name: 'a foreign table: its rows are remote, nothing is checked',
      sql: 'ALTER FOREIGN TABLE remote_orders ADD CONSTRAINT positive CHECK (total >= 0)',
    },
    {
      name: 'a volatile default rewrites anyway (reported by add-column-volatile-default)',
      sql: 'ALTER TABLE users ADD COLUMN r float8 DEFAULT random() CHECK (r < 1)',
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD CONSTRAINT users_score_positive CHECK (score > 0)',
      message: /reads every row of public\.users while holding ACCESS EXCLUSIVE/,
      safe: /^ALTER TABLE users ADD CONSTRAINT users_score_positive CHECK \(score > 0\) NOT VALID;\n.*\nALTER TABLE users VALIDATE CONSTRAINT users_score_positive;$/,
      severity: 'error',
    },
    {
      name: 'unnamed: the safe form names it so VALIDATE can refer to it',
      sql: 'ALTER TABLE orders ADD CHECK (total >= 0)',
      safe: /ADD CONSTRAINT orders_check CHECK \(total >= 0\) NOT VALID;[\s\S]*VALIDATE CONSTRAINT orders_check;/,
    },
    {
      name: 'CHECK on a new column',
      sql: 'ALTER TABLE users ADD COLUMN age int CHECK (age >= 0)',
      message: /The CHECK on new column age/,
      safe: /^ALTER TABLE users ADD COLUMN age integer;\nALTER TABLE users ADD CONSTRAINT users_age_check CHECK \(age >= 0\) NOT VALID;/,
    },
    {
      name: 'small table: warning',
      sql: "ALTER TABLE settings ADD CONSTRAINT v CHECK (value <> '')",
      severity: 'warning',
    },
    {
      name: 'empty table: info',
      sql: 'ALTER TABLE audit ADD CONSTRAINT p CHECK (payload IS NOT NULL)',
      severity: 'info',
    },
  ],
});
