import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-lock-wait-timeout-missing', {
  valid: [
    'SET lock_wait_timeout = 5; ALTER TABLE users ADD COLUMN phone varchar(20)',
    'SET SESSION lock_wait_timeout = 10; DROP TABLE tags',
    'CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN a int',
    "UPDATE users SET name = 'x' WHERE id = 1",
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN phone varchar(20)',
      message:
        /^No lock_wait_timeout is set before this statement on shop\.users: it waits for every open transaction.*a year by default on MySQL, a day on MariaDB/,
      severity: 'warning',
      safe: /^SET SESSION lock_wait_timeout = 5;\nALTER TABLE users ADD COLUMN phone varchar\(20\);$/,
    },
    {
      name: 'a timeout of an hour is no bound',
      sql: 'SET lock_wait_timeout = 3600; CREATE INDEX users_name_index ON users (name)',
      message: /^lock_wait_timeout is 3600 s/,
    },
    {
      name: 'once per file, after a statement on a new table',
      sql: 'CREATE TABLE t (id int); CREATE INDEX t_id ON t (id); ALTER TABLE users ADD COLUMN a int; ALTER TABLE orders ADD COLUMN b int',
      count: 1,
      message: /on shop\.users/,
    },
    { name: 'DROP TABLE waits too', sql: 'DROP TABLE tags', message: /on shop\.tags/ },
  ],
});
