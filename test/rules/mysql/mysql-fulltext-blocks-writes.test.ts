import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-fulltext-blocks-writes', {
  valid: [
    'ALTER TABLE users ADD COLUMN summary varchar(200)',
    'CREATE INDEX users_name_index ON users (name)',
    // A new table: nobody writes to it yet.
    'CREATE TABLE t (id int PRIMARY KEY, body text); CREATE FULLTEXT INDEX t_body_ft ON t (body)',
    // AUTO_INCREMENT is mysql-add-auto-increment's.
    'ALTER TABLE articles ADD COLUMN n int NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY (n)',
  ],
  invalid: [
    {
      name: 'ADD COLUMN on a table with a FULLTEXT index (measured: LOCK=NONE refused)',
      sql: 'ALTER TABLE articles ADD COLUMN summary varchar(200)',
      message:
        /^ADD COLUMN on shop\.articles \(~500,000 rows\), which has the FULLTEXT index articles_body_ft, rebuilds it and blocks writes/,
      severity: 'error',
      safe: /pt-online-schema-change --alter 'ADD COLUMN summary varchar\(200\)'/,
    },
    { sql: 'ALTER TABLE articles DROP COLUMN title', message: /^DROP COLUMN on shop\.articles/ },
    {
      sql: 'CREATE FULLTEXT INDEX users_name_ft ON users (name)',
      message: /^Building the FULLTEXT index users_name_ft on shop\.users \(~1,000,000 rows\) blocks writes/,
      safe: /--alter 'ADD FULLTEXT INDEX users_name_ft \(name\)'/,
    },
    {
      sql: 'ALTER TABLE users ADD FULLTEXT INDEX users_name_ft (name)',
      message: /FULLTEXT index users_name_ft/,
    },
  ],
});
