import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-utf8mb3', {
  valid: [
    'CREATE TABLE t (a varchar(10)) DEFAULT CHARSET=utf8mb4',
    "CREATE TABLE t (a varchar(10) DEFAULT 'utf8')",
    'ALTER TABLE users ADD COLUMN a varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
    'ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4',
  ],
  invalid: [
    {
      sql: 'CREATE TABLE t (a varchar(10) CHARACTER SET utf8) DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci',
      message: /^shop\.t gets the utf8 \(utf8mb3\) character set: .*emoji/,
      severity: 'warning',
      safe: /^CREATE TABLE t \(a varchar\(10\) CHARACTER SET utf8mb4\) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;$/,
    },
    {
      sql: 'ALTER TABLE users ADD COLUMN a varchar(10) COLLATE utf8_unicode_ci',
      safe: /^ALTER TABLE users ADD COLUMN a varchar\(10\) COLLATE utf8mb4_unicode_ci;$/,
    },
    { sql: 'ALTER TABLE users CONVERT TO CHARACTER SET utf8', safe: /CONVERT TO CHARACTER SET utf8mb4;$/ },
  ],
});
