import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-column-type-change', {
  valid: [
    // The same type restated (MODIFY restates the whole column): nothing to copy.
    'ALTER TABLE users MODIFY score int NOT NULL DEFAULT 0',
    'ALTER TABLE users MODIFY score INTEGER NOT NULL DEFAULT 0',
    // A longer VARCHAR that keeps its 1-byte length prefix (50 → 60 characters, ≤ 255 bytes in utf8mb4).
    'ALTER TABLE users MODIFY nickname varchar(60)',
    // 255 → 300 characters of utf8mb4: both past 255 bytes, still in place.
    'ALTER TABLE users MODIFY email varchar(300) NOT NULL',
    // ENUM and charsets have rules of their own.
    "ALTER TABLE users MODIFY status enum('active','disabled','banned') NOT NULL DEFAULT 'active'",
    'ALTER TABLE users MODIFY name varchar(100) CHARACTER SET latin1',
    // Without a schema, the current type is unknown.
    { sql: 'ALTER TABLE users MODIFY score bigint NOT NULL', schema: null },
    'CREATE TABLE t (a int); ALTER TABLE t MODIFY a bigint',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users MODIFY score bigint NOT NULL DEFAULT 0',
      message:
        /^Changing shop\.users\.score from int\(11\) to bigint copies the table: writes to shop\.users \(~1,000,000 rows\) wait/,
      severity: 'error',
      safe: /pt-online-schema-change --alter 'MODIFY score bigint NOT NULL DEFAULT 0'.*D=shop,t=users/,
      // The tools run the same ALTER (on a copy): analysed as written, it is the same type change.
      safeStillFlagged: true,
    },
    {
      name: 'a longer VARCHAR that crosses 255 bytes copies (63 → 64 characters of utf8mb4)',
      sql: 'ALTER TABLE users MODIFY nickname varchar(64)',
      message: /1-byte length prefix/,
      safeStillFlagged: true,
    },
    {
      name: 'CHANGE to another name and type',
      sql: 'ALTER TABLE orders CHANGE total amount decimal(14,2) NOT NULL',
      message: /orders\.amount from decimal\(10,2\) to decimal\(14,2\)/,
      safeStillFlagged: true,
    },
    {
      name: 'latin1 255 → 400 characters crosses 255 bytes',
      sql: 'ALTER TABLE settings MODIFY value varchar(400)',
      message: /latin1 takes up to 1 bytes a character/,
      safeStillFlagged: true,
    },
    {
      name: 'small table: warning',
      sql: 'ALTER TABLE settings MODIFY value text',
      severity: 'warning',
      safeStillFlagged: true,
    },
  ],
});
