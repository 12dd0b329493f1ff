import { mysqlRuleTester } from '../../support/mysql-rule-tester.js';

mysqlRuleTester('mysql-copy-large-table', {
  valid: [
    'ALTER TABLE users ADD COLUMN phone varchar(20)',
    'ALTER TABLE users ADD COLUMN token char(36) DEFAULT NULL',
    "ALTER TABLE users ADD COLUMN plan varchar(20) NOT NULL DEFAULT 'free'",
    // VIRTUAL columns are computed on read: instant.
    'ALTER TABLE users ADD COLUMN score2 int AS (score * 2) VIRTUAL',
    'CREATE TABLE t (id int PRIMARY KEY); ALTER TABLE t ADD COLUMN token char(36) DEFAULT (uuid())',
    // Copies with a rule of their own.
    'ALTER TABLE users MODIFY score bigint NOT NULL DEFAULT 0',
    'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)',
  ],
  invalid: [
    {
      name: 'the issue: a per-row default on a large table is a full copy that blocks writers',
      sql: 'ALTER TABLE users ADD COLUMN token char(36) DEFAULT (uuid())',
      message:
        /ADD COLUMN token with the non-constant DEFAULT \(uuid\(\)\).*copying the table.*writes to shop\.users \(~1,000,000 rows\) wait until every row is copied/,
      severity: 'error',
      safe: /^ALTER TABLE `users` ADD COLUMN `token` char\(36\) NULL, ALGORITHM=INSTANT;\nALTER TABLE `users` ALTER COLUMN `token` SET DEFAULT \(uuid\(\)\), ALGORITHM=INSTANT;\n.*\nUPDATE `users` SET `token` = \(uuid\(\)\) WHERE `token` IS NULL LIMIT 10000;$/,
    },
    {
      name: 'NOT NULL: the constraint comes last, in place',
      sql: 'ALTER TABLE users ADD COLUMN token char(36) NOT NULL DEFAULT (uuid())',
      safe: /\nALTER TABLE `users` MODIFY `token` char\(36\) NOT NULL DEFAULT \(uuid\(\)\), ALGORITHM=INPLACE, LOCK=NONE;$/,
      // The last step restates the column with its per-row default: a MODIFY, not an ADD COLUMN.
    },
    {
      name: 'a STORED generated column is computed for every row',
      sql: 'ALTER TABLE orders ADD COLUMN total_cents bigint AS (total * 100) STORED',
      message: /STORED generated column/,
      safe: /pt-online-schema-change --alter 'ADD COLUMN total_cents bigint AS \(total \* 100\) STORED' .* D=shop,t=orders/,
    },
    {
      name: 'ALGORITHM=COPY written out',
      sql: 'ALTER TABLE users ADD COLUMN c int, ALGORITHM=COPY',
      message: /^ALGORITHM=COPY is written on this ALTER/,
      safe: /--alter 'ADD COLUMN c int'/,
    },
    {
      name: 'ADD CHECK copies on MariaDB (measured)',
      sql: 'ALTER TABLE users ADD CONSTRAINT users_score_positive CHECK (score >= 0)',
      message: /ADD CHECK/,
    },
    {
      name: 'another engine',
      sql: 'ALTER TABLE users ENGINE=Aria',
      message: /ENGINE=ARIA can only be done by copying the table/,
    },
    {
      name: 'an empty table: info',
      sql: 'ALTER TABLE audit ADD COLUMN token char(36) DEFAULT (uuid())',
      severity: 'info',
    },
  ],
});
