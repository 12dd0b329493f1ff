import { ruleTester } from '../support/rule-tester.js';
import { withIndex } from './schemas.js';

ruleTester('fk-missing-index', {
  valid: [
    {
      name: 'the index is created right after',
      sql: `ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
            CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id)`,
    },
    {
      name: 'an existing index starts with the column',
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID',
      schema: withIndex('orders', 'orders_user_id_status_idx', ['user_id', 'status']),
    },
    {
      name: 'the foreign key column leads the primary key',
      sql: 'CREATE TABLE user_prefs (user_id bigint PRIMARY KEY REFERENCES users (id), theme text)',
    },
    {
      name: 'new table indexed in the same migration',
      sql: `CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));
            CREATE INDEX items_order_id_idx ON items (order_id)`,
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID',
      message:
        /Foreign key orders_user_fk on public\.orders \(user_id\) has no index .* every DELETE on public\.users/,
      safe: /\nCREATE INDEX CONCURRENTLY orders_user_id_idx ON orders \(user_id\);$/,
      severity: 'warning',
    },
    {
      name: 'inline REFERENCES on a new column',
      sql: 'ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users (id)',
      safe: /CREATE INDEX CONCURRENTLY orders_buyer_id_idx ON orders \(buyer_id\);/,
    },
    {
      name: 'new table: a plain CREATE INDEX will do',
      sql: 'CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))',
      message: /items_order_id_fkey on public\.items \(order_id\)/,
      safe: /^CREATE INDEX items_order_id_idx ON items \(order_id\);$/,
    },
    {
      name: 'a partial index does not serve the foreign key',
      sql: `ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
            CREATE INDEX CONCURRENTLY orders_paid_user_idx ON orders (user_id) WHERE status = 'paid'`,
    },
    {
      name: 'an index led by another column does not either',
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID',
      schema: withIndex('orders', 'orders_status_user_id_idx', ['status', 'user_id']),
    },
    {
      name: 'small referencing table: info',
      sql: 'ALTER TABLE settings ADD COLUMN user_id bigint REFERENCES users (id)',
      severity: 'info',
    },
  ],
});
