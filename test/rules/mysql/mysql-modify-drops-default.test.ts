import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-modify-drops-default', {
  valid: [
    'ALTER TABLE users MODIFY score int NOT NULL DEFAULT 0',
    // Written on purpose.
    'ALTER TABLE users ALTER COLUMN score DROP DEFAULT',
    // No default to lose.
    'ALTER TABLE users MODIFY name varchar(120)',
    { sql: 'ALTER TABLE users MODIFY score int NOT NULL', schema: null },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users MODIFY score int NOT NULL',
      message:
        /^MODIFY restates the whole column: shop\.users\.score loses its DEFAULT 0, so INSERTs that leave it out fail under a strict sql_mode \(error 1364\)/,
      severity: 'warning',
      safe: /^ALTER TABLE users MODIFY score int NOT NULL DEFAULT 0;$/,
    },
    {
      name: 'a string default, quoted as MariaDB prints it; ALGORITHM kept at the end',
      sql: "ALTER TABLE users MODIFY status enum('active','disabled') NOT NULL, ALGORITHM=INSTANT",
      safe: /^ALTER TABLE users MODIFY status enum\('active','disabled'\) NOT NULL DEFAULT 'active', ALGORITHM=INSTANT;$/,
    },
    {
      name: 'CHANGE too',
      sql: 'ALTER TABLE users CHANGE balance balance decimal(12,2) NOT NULL',
      message: /DEFAULT 0\.00/,
    },
  ],
});
