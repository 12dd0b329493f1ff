import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-table-rebuild', {
  valid: [
    'ALTER TABLE users ADD COLUMN a int',
    // Another engine is a copy: mysql-copy-large-table.
    'ALTER TABLE users ENGINE=Aria',
    // MyISAM: mysql-myisam-alter.
    'OPTIMIZE TABLE legacy_log',
    'CREATE TABLE t (id int); ALTER TABLE t ENGINE=InnoDB',
  ],
  invalid: [
    {
      sql: 'OPTIMIZE TABLE orders',
      message:
        /^OPTIMIZE TABLE rebuilds shop\.orders \(~2,000,000 rows\): every row is read and written again.*replicas replay it only afterwards/,
      severity: 'warning',
      safe: /pt-online-schema-change --alter 'ENGINE=InnoDB'.*\n.*\n.*\n-- ALTER TABLE `orders` ENGINE=InnoDB, ALGORITHM=INPLACE, LOCK=NONE;$/,
    },
    { sql: 'ALTER TABLE users ENGINE=InnoDB', message: /^ENGINE=INNODB rebuilds shop\.users/ },
    { sql: 'ALTER TABLE users FORCE', message: /^FORCE rebuilds shop\.users/ },
    { sql: 'ALTER TABLE users ROW_FORMAT=COMPRESSED', message: /^ROW_FORMAT=COMPRESSED rebuilds/ },
    {
      name: 'a FULLTEXT index blocks writes during it',
      sql: 'OPTIMIZE TABLE articles',
      message: /writes wait for the whole rebuild/,
    },
    { name: 'small table: info', sql: 'OPTIMIZE TABLE settings', severity: 'info' },
  ],
});
