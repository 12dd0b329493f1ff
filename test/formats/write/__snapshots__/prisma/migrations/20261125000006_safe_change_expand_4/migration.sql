-- expand-4 (expand): Build index orders_status_idx CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on; outside any transaction.
-- lock: SHARE UPDATE EXCLUSIVE on public.orders; estimated 15005 ms; outside any transaction
-- before: no INVALID index orders_status_idx left by an earlier failed build: SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = to_regclass('public.orders_status_idx') AND NOT indisvalid)
-- after: index orders_status_idx exists and is valid: SELECT coalesce((SELECT indisvalid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass('public.orders_status_idx')), false)
CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
