-- A migration that looks harmless and is not, on a busy table:
-- a volatile default rewrites users, the index build blocks writes to orders,
-- and the foreign key checks every row while writes to both tables wait.
ALTER TABLE users ADD COLUMN tracking_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE INDEX orders_status_idx ON orders (status);
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
