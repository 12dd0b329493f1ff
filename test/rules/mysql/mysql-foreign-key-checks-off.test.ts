import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-foreign-key-checks-off', {
  valid: [
    'SET foreign_key_checks = 0; ALTER TABLE tags ADD FOREIGN KEY (user_id) REFERENCES users (id); SET foreign_key_checks = 1',
    'SET FOREIGN_KEY_CHECKS = 0; DROP TABLE tags; SET @@session.foreign_key_checks = 1',
    'SET foreign_key_checks = 1',
  ],
  invalid: [
    {
      sql: 'SET foreign_key_checks = 0; ALTER TABLE tags ADD FOREIGN KEY (user_id) REFERENCES users (id)',
      message: /^foreign_key_checks is turned off and not turned back on in this file/,
      severity: 'warning',
      safe: /^SET foreign_key_checks = 0;\n.*\nSET SESSION foreign_key_checks = 1;$/,
    },
    {
      sql: 'SET GLOBAL foreign_key_checks = 0',
      message: /^SET GLOBAL foreign_key_checks = 0 turns the checks off for every connection/,
      safe: /^SET SESSION foreign_key_checks = 0;/,
    },
  ],
});
