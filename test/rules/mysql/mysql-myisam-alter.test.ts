import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-myisam-alter', {
  valid: [
    'ALTER TABLE users ADD COLUMN a int',
    // The fix itself: moving it to InnoDB (a copy still: mysql-copy-large-table says so).
    'ALTER TABLE legacy_log ENGINE=InnoDB',
    { sql: 'ALTER TABLE legacy_log ADD COLUMN a int', schema: null },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE legacy_log ADD COLUMN level int, ADD INDEX legacy_log_level (level)',
      message:
        /^shop\.legacy_log \(~300,000 rows\) is a MyISAM table: only InnoDB alters online, so this statement copies it while every write waits/,
      severity: 'error',
      count: 1,
      safe: /pt-online-schema-change --alter 'ENGINE=InnoDB'.*D=shop,t=legacy_log/,
    },
    { sql: 'CREATE INDEX legacy_log_message ON legacy_log (message)', message: /MyISAM/ },
    { sql: 'OPTIMIZE TABLE legacy_log', message: /MyISAM/ },
  ],
});
