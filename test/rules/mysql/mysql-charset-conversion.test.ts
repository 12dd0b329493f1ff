import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-charset-conversion', {
  valid: [
    // Already utf8mb4: nothing to convert.
    'ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4',
    // The table's default only: existing columns keep theirs.
    'ALTER TABLE settings DEFAULT CHARSET=utf8mb4',
    'ALTER TABLE users MODIFY name varchar(100) CHARACTER SET utf8mb4',
    // MyISAM: mysql-myisam-alter reports it.
    'ALTER TABLE legacy_log CONVERT TO CHARACTER SET utf8mb4',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE orders CONVERT TO CHARACTER SET latin1',
      message:
        /^Converting shop\.orders from utf8mb4 to latin1 re-encodes every text column, which copies the table on MariaDB 10\.11/,
      severity: 'error',
      safe: /--alter 'CONVERT TO CHARACTER SET latin1'/,
      safeStillFlagged: true,
    },
    {
      name: 'utf8mb3 → utf8mb4 copies on MySQL 8 (documented)',
      version: '8.0.36',
      sql: 'ALTER TABLE users MODIFY name varchar(100) CHARACTER SET utf8mb3',
      message: /shop\.users\.name goes from utf8mb4 to utf8mb3/,
      safeStillFlagged: true,
    },
    {
      name: 'a column moved to another charset (small table: warning)',
      sql: 'ALTER TABLE settings MODIFY value varchar(255) CHARACTER SET utf8mb4',
      message: /settings\.value goes from latin1 to utf8mb4/,
      severity: 'warning',
      safeStillFlagged: true,
    },
  ],
});
