-- expand-4 (expand): Build index orders_status_idx CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on; outside any transaction.
-- lock: SHARE UPDATE EXCLUSIVE on public.orders; estimated 15005 ms; outside any transaction
-- before: no INVALID index orders_status_idx left by an earlier failed build: SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = to_regclass('public.orders_status_idx') AND NOT indisvalid)
-- after: index orders_status_idx exists and is valid: SELECT coalesce((SELECT indisvalid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass('public.orders_status_idx')), false)
SET lock_timeout = '2000ms';
SET statement_timeout = '0ms';
CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
RESET lock_timeout;
RESET statement_timeout;
