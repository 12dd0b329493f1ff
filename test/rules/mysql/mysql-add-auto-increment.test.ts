import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-add-auto-increment', {
  valid: [
    'ALTER TABLE tags ADD COLUMN n int',
    // Restating the AUTO_INCREMENT column it has already.
    'ALTER TABLE users MODIFY id bigint unsigned NOT NULL AUTO_INCREMENT',
    'CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN id int NOT NULL AUTO_INCREMENT PRIMARY KEY',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE tags ADD COLUMN id bigint NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY (id)',
      message:
        /^Adding the AUTO_INCREMENT column id numbers every row of shop\.tags \(~200,000 rows\): the table is rebuilt with writes blocked/,
      severity: 'error',
      safe: /--alter 'ADD COLUMN id bigint NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY \(id\)'/,
      safeStillFlagged: true,
    },
    {
      name: 'an existing column made AUTO_INCREMENT: a copy',
      sql: 'ALTER TABLE audit MODIFY id bigint NOT NULL AUTO_INCREMENT',
      message: /^Making shop\.audit\.id AUTO_INCREMENT changes its definition, which copies the table/,
      severity: 'info',
      safeStillFlagged: true,
    },
  ],
});
