-- expand-5 (expand): Add fk NOT VALID: new writes are checked, existing rows are not read.
-- lock: SHARE ROW EXCLUSIVE on public.orders; estimated 5 ms; one transaction
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
