import { ruleTester } from '../support/rule-tester.js';

ruleTester('validate-in-same-transaction', {
  valid: [
    {
      name: 'each statement commits on its own',
      sql: 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT positive',
    },
    {
      name: 'a COMMIT between them',
      sql: `BEGIN; ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID; COMMIT;
            BEGIN; ALTER TABLE orders VALIDATE CONSTRAINT positive; COMMIT`,
    },
    {
      name: 'VALIDATE alone in a wrapped migration',
      runner: 'rails',
      sql: 'ALTER TABLE orders VALIDATE CONSTRAINT positive',
    },
    {
      name: 'new table',
      runner: 'rails',
      sql: 'CREATE TABLE t (n int); ALTER TABLE t ADD CONSTRAINT p CHECK (n > 0) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT p',
    },
  ],
  invalid: [
    {
      runner: 'rails',
      sql: 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT positive',
      message: /positive was added NOT VALID earlier in this same transaction/,
      safe: /^-- commit first[^\n]*\nALTER TABLE orders VALIDATE CONSTRAINT positive;$/,
      severity: 'error',
    },
    {
      name: 'a foreign key: SHARE ROW EXCLUSIVE on both tables is still held',
      sql: `BEGIN;
            ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
            ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
            COMMIT`,
    },
    {
      name: 'another statement already locked the table',
      sql: 'BEGIN; ALTER TABLE orders ADD COLUMN x int; ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check; COMMIT',
      message: /this transaction already holds ACCESS EXCLUSIVE on public\.orders/,
    },
    {
      name: 'small table: warning',
      runner: 'rails',
      sql: "ALTER TABLE settings ADD CONSTRAINT v CHECK (value <> '') NOT VALID; ALTER TABLE settings VALIDATE CONSTRAINT v",
      severity: 'warning',
    },
  ],
});
