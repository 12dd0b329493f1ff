-- validate-3 (validate): Validate fk in its own transaction: reads every row while reads and writes go on.
-- lock: SHARE UPDATE EXCLUSIVE on public.orders; estimated 3005 ms; one transaction
-- before: every public.orders row points at an existing public.users row: SELECT NOT EXISTS (SELECT 1 FROM orders c WHERE c.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users p WHERE p.id = c.user_id))
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '0ms';
ALTER TABLE orders VALIDATE CONSTRAINT fk;
COMMIT;
