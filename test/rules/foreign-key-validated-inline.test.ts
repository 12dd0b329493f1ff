import { ruleTester } from '../support/rule-tester.js';

ruleTester('foreign-key-validated-inline', {
  valid: [
    'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID',
    'CREATE TABLE t (id int, user_id bigint REFERENCES users (id))',
    {
      name: 'inline REFERENCES on a new column without default: all NULL, no row is read',
      sql: 'ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users (id)',
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE',
      message: /SHARE ROW EXCLUSIVE on both/,
      safe: /REFERENCES users \(id\) ON DELETE CASCADE NOT VALID;[\s\S]*VALIDATE CONSTRAINT orders_user_fk;/,
    },
    {
      name: 'inline REFERENCES on ADD COLUMN with a default: every row checked, under the locks the facts give',
      sql: 'ALTER TABLE orders ADD COLUMN buyer_id bigint DEFAULT 1 REFERENCES users (id) ON DELETE SET NULL',
      message:
        /checks every existing row against public\.users .* while holding ACCESS EXCLUSIVE on public\.orders and SHARE ROW EXCLUSIVE on public\.users\.$/,
      safe: /^ALTER TABLE orders ADD COLUMN buyer_id bigint DEFAULT 1;\nALTER TABLE orders ADD CONSTRAINT orders_buyer_id_fkey FOREIGN KEY \(buyer_id\) REFERENCES users \(id\) ON DELETE SET NULL NOT VALID;/,
    },
  ],
});
