import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-several-ddl-in-file', {
  valid: [
    'ALTER TABLE users ADD COLUMN a int, ADD COLUMN b int',
    'SET lock_wait_timeout = 5; ALTER TABLE users ADD COLUMN a int; UPDATE users SET a = 1 WHERE id = 1',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN a int; ALTER TABLE users ADD INDEX users_a (a)',
      message:
        /^This file runs DDL in more than one statement on shop\.users, and MySQL commits each on its own.*merge them into one ALTER TABLE/,
      severity: 'warning',
      count: 1,
      safe: null,
    },
    {
      sql: 'ALTER TABLE users ADD COLUMN a int; ALTER TABLE orders ADD COLUMN b int; DROP TABLE tags',
      message: /\(on shop\.users, shop\.orders, shop\.tags\)/,
      count: 1,
    },
    {
      name: 'only tables the file creates: a rerun still fails, but nothing in use is half changed',
      sql: 'CREATE TABLE t (id int); CREATE INDEX t_id ON t (id)',
      severity: 'info',
    },
  ],
});
