import { ruleTester } from '../support/rule-tester.js';

ruleTester('foreign-key-validated-inline', {
  valid: [
    'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID',
    'CREATE TABLE t (id int, user_id bigint REFERENCES users (id))',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE',
      message: /SHARE ROW EXCLUSIVE on both/,
      safe: /REFERENCES users \(id\) ON DELETE CASCADE NOT VALID;[\s\S]*VALIDATE CONSTRAINT orders_user_fk;/,
    },
    {
      name: 'inline REFERENCES on ADD COLUMN',
      sql: 'ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users (id)',
      safe: /ADD CONSTRAINT orders_buyer_id_fkey FOREIGN KEY \(buyer_id\) REFERENCES users \(id\) NOT VALID/,
    },
  ],
});
