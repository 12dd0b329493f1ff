import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-type-narrowing', {
  valid: [
    'ALTER TABLE users MODIFY score bigint NOT NULL DEFAULT 0',
    'ALTER TABLE users MODIFY name varchar(200)',
    'ALTER TABLE users MODIFY balance decimal(14,2) NOT NULL DEFAULT 0',
    "ALTER TABLE users MODIFY status enum('active','disabled','banned') NOT NULL DEFAULT 'active'",
    { sql: 'ALTER TABLE users MODIFY name varchar(10)', schema: null },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users MODIFY name varchar(20)',
      message:
        /^Changing shop\.users\.name from varchar\(100\) to varchar\(20\) narrows it: with a strict sql_mode the ALTER fails/,
      safe: /^-- run first; it must return 0.*\nSELECT count\(\*\) FROM `users` WHERE CHAR_LENGTH\(`name`\) > 20;$/,
      severity: 'error',
    },
    {
      sql: 'ALTER TABLE users MODIFY score smallint NOT NULL DEFAULT 0',
      safe: /WHERE `score` NOT BETWEEN -32768 AND 32767;$/,
    },
    {
      name: 'signed to unsigned',
      sql: 'ALTER TABLE users MODIFY score int unsigned NOT NULL DEFAULT 0',
      safe: /NOT BETWEEN 0 AND 4294967295;$/,
    },
    {
      sql: 'ALTER TABLE users MODIFY balance decimal(8,2) NOT NULL DEFAULT 0',
      safe: /WHERE ABS\(`balance`\) >= 1000000 OR `balance` <> ROUND\(`balance`, 2\);$/,
    },
    {
      name: 'an ENUM value removed',
      sql: "ALTER TABLE users MODIFY status enum('active') NOT NULL DEFAULT 'active'",
      safe: /WHERE `status` IN \('disabled'\);$/,
    },
    {
      name: 'not reported for a new table that is empty',
      sql: "CREATE TABLE t (a varchar(10)); INSERT INTO t VALUES ('x'); ALTER TABLE t MODIFY a varchar(5)",
      safe: /CHAR_LENGTH\(`a`\) > 5/,
    },
  ],
});
