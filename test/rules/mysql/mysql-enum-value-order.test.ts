import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-enum-value-order', {
  valid: [
    "ALTER TABLE users MODIFY status enum('active','disabled','banned') NOT NULL DEFAULT 'active'",
    "ALTER TABLE users MODIFY status enum('active','disabled') NOT NULL DEFAULT 'active'",
    { sql: "ALTER TABLE users MODIFY status enum('banned','active','disabled') NOT NULL", schema: null },
  ],
  invalid: [
    {
      name: 'a value inserted before others: every row renumbered',
      sql: "ALTER TABLE users MODIFY status enum('active','pending','disabled') NOT NULL DEFAULT 'active'",
      message:
        /^The new ENUM list of shop\.users\.status is not the old one with values appended \('pending' not at the end\): .*copies the table/,
      severity: 'error',
      safe: /\nALTER TABLE users MODIFY status enum\('active','disabled','pending'\) NOT NULL DEFAULT 'active', ALGORITHM=INSTANT;$/,
    },
    {
      name: 'a reordered list',
      sql: "ALTER TABLE users MODIFY status enum('disabled','active') NOT NULL DEFAULT 'active'",
      safe: /enum\('active','disabled'\) NOT NULL DEFAULT 'active', ALGORITHM=INSTANT;$/,
    },
    {
      name: 'a value removed: no list keeps every row, so no SQL',
      sql: "ALTER TABLE users MODIFY status enum('active','banned') NOT NULL DEFAULT 'active'",
      safe: null,
    },
  ],
});
