import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-foreign-key-copy', {
  valid: [
    'SET foreign_key_checks = 0; ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id); SET foreign_key_checks = 1',
    "SET SESSION foreign_key_checks = 'OFF'; ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id)",
    'CREATE TABLE t (id int PRIMARY KEY, user_id bigint unsigned); ALTER TABLE t ADD FOREIGN KEY (user_id) REFERENCES users (id)',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE',
      message:
        /^ADD FOREIGN KEY on shop\.orders with foreign_key_checks on runs as a table copy: writes to shop\.orders \(~2,000,000 rows\) wait.*lock on shop\.users/,
      severity: 'error',
      safe: new RegExp(
        [
          '-- 1\\. every row must have its parent; this must return 0:',
          'SELECT count\\(\\*\\) FROM `orders` c LEFT JOIN `users` p ON p\\.`id` = c\\.`user_id` WHERE c\\.`user_id` IS NOT NULL AND p\\.`id` IS NULL;',
          '.*',
          'SET SESSION foreign_key_checks = 0;',
          'ALTER TABLE `orders` ADD CONSTRAINT `orders_user_fk` FOREIGN KEY \\(`user_id`\\) REFERENCES `users` \\(`id`\\) ON DELETE CASCADE, ALGORITHM=INPLACE, LOCK=NONE;',
          'SET SESSION foreign_key_checks = 1;',
        ].join('\\n'),
      ),
    },
    {
      name: 'checks turned back on before the ALTER',
      sql: 'SET foreign_key_checks = 0; SET foreign_key_checks = 1; ALTER TABLE tags ADD FOREIGN KEY (user_id) REFERENCES users (id)',
      message: /shop\.tags/,
    },
  ],
});
