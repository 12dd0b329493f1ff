import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-drop-primary-key', {
  valid: [
    'ALTER TABLE orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, user_id)',
    'ALTER TABLE users DROP INDEX users_status_index',
    'CREATE TABLE t (id int PRIMARY KEY); ALTER TABLE t DROP PRIMARY KEY',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE audit DROP PRIMARY KEY',
      message:
        /^Dropping the primary key of shop\.audit \(id\) without adding another in the same statement copies the table/,
      severity: 'info',
      safe: null,
    },
    {
      sql: 'ALTER TABLE orders DROP PRIMARY KEY',
      severity: 'error',
      message: /pt-online-schema-change and gh-ost refuse it/,
    },
  ],
});
