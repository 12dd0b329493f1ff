import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-not-null-with-nulls', {
  valid: [
    // NOT NULL already: MODIFY restates it.
    'ALTER TABLE users MODIFY email varchar(255) NOT NULL',
    'ALTER TABLE users MODIFY name varchar(100) NULL',
    { sql: 'ALTER TABLE users MODIFY name varchar(100) NOT NULL', schema: null },
    'CREATE TABLE t (a int); ALTER TABLE t MODIFY a int NOT NULL',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users MODIFY name varchar(100) NOT NULL',
      message:
        /^shop\.users\.name allows NULL today: with a strict sql_mode this ALTER fails on the first NULL.*silently turns every NULL into ''/,
      severity: 'error',
      safe: /^-- 1\..*\nSELECT count\(\*\) FROM `users` WHERE `name` IS NULL;\n.*\n.*\nALTER TABLE users MODIFY name varchar\(100\) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;$/,
      // The last step is the statement itself, once the NULLs are gone.
      safeStillFlagged: true,
    },
    {
      name: 'a new table the migration filled has rows to check too',
      sql: 'CREATE TABLE t (a int); INSERT INTO t VALUES (NULL); ALTER TABLE t MODIFY a int NOT NULL',
      message: /^shop\.t\.a allows NULL today/,
      safeStillFlagged: true,
    },
  ],
});
