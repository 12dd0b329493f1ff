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
        /^Dropping the primary key of shop\.audit \(id\) without adding another in the same statement copies the table: .*pt-online-schema-change and gh-ost refuse it/,
      severity: 'info',
      safe: null,
    },
    {
      name: 'a small table: one step lower',
      sql: 'ALTER TABLE settings DROP PRIMARY KEY',
      severity: 'warning',
    },
    {
      name: 'an AUTO_INCREMENT key: refused outright (measured: error 1075)',
      sql: 'ALTER TABLE orders DROP PRIMARY KEY',
      severity: 'error',
      message:
        /^The primary key of shop\.orders is on the AUTO_INCREMENT column id, which must stay a key: the server refuses this statement \(error 1075\)/,
    },
  ],
});
