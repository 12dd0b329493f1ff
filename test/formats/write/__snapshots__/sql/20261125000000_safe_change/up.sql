-- safe change: planned by schemapilot for PostgreSQL 15
-- Run with: psql -v ON_ERROR_STOP=1 -f up.sql

-- expand-1 (expand): Add token as a nullable column with no default: a catalog-only change.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 5 ms; one transaction
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE users ADD COLUMN token uuid;
COMMIT;

-- expand-2 (expand): Set the default for new rows only: existing rows keep NULL until the backfill.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 5 ms; one transaction
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();
COMMIT;

-- backfill-1 (backfill): Backfill existing rows in batches of 5000, committing each batch, in id order.
-- lock: ROW EXCLUSIVE on public.users; estimated 2405 ms; outside any transaction
SET lock_timeout = '2000ms';
SET statement_timeout = '0ms';
DO $schemapilot$
DECLARE
  last_key bigint;
  n bigint;
BEGIN
  LOOP
    WITH batch AS (SELECT id FROM users WHERE (last_key IS NULL OR id > last_key) AND (token IS NULL) ORDER BY id LIMIT 5000),
         done AS (UPDATE users AS target SET token = gen_random_uuid() FROM batch WHERE target.id = batch.id RETURNING target.id)
    SELECT count(*), max(id) INTO n, last_key FROM done;
    EXIT WHEN n = 0;
    COMMIT;
    PERFORM pg_sleep(0.100);
  END LOOP;
END $schemapilot$;
RESET lock_timeout;
RESET statement_timeout;

-- expand-3 (expand): Add CHECK (token IS NOT NULL) NOT VALID: only new writes are checked, no scan.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 5 ms; one transaction
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE users ADD CONSTRAINT users_token_not_null CHECK (token IS NOT NULL) NOT VALID;
COMMIT;

-- validate-1 (validate): Validate the CHECK: reads every row under SHARE UPDATE EXCLUSIVE, reads and writes go on.
-- lock: SHARE UPDATE EXCLUSIVE on public.users; estimated 605 ms; one transaction
-- before: no NULL left in public.users.token: SELECT NOT EXISTS (SELECT 1 FROM users WHERE token IS NULL)
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '0ms';
ALTER TABLE users VALIDATE CONSTRAINT users_token_not_null;
COMMIT;

-- validate-2 (validate): SET NOT NULL, proved by the validated CHECK without a scan; then drop the CHECK.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 10 ms; one transaction
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE users ALTER COLUMN token SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_token_not_null;
COMMIT;

-- expand-4 (expand): Build index orders_status_idx CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on; outside any transaction.
-- lock: SHARE UPDATE EXCLUSIVE on public.orders; estimated 15005 ms; outside any transaction
-- before: no INVALID index orders_status_idx left by an earlier failed build: SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = to_regclass('public.orders_status_idx') AND NOT indisvalid)
-- after: index orders_status_idx exists and is valid: SELECT coalesce((SELECT indisvalid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass('public.orders_status_idx')), false)
SET lock_timeout = '2000ms';
SET statement_timeout = '0ms';
CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
RESET lock_timeout;
RESET statement_timeout;

-- expand-5 (expand): Add fk NOT VALID: new writes are checked, existing rows are not read.
-- lock: SHARE ROW EXCLUSIVE on public.orders; estimated 5 ms; one transaction
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
COMMIT;

-- validate-3 (validate): Validate fk in its own transaction: reads every row while reads and writes go on.
-- lock: SHARE UPDATE EXCLUSIVE on public.orders; estimated 3005 ms; one transaction
-- before: every public.orders row points at an existing public.users row: SELECT NOT EXISTS (SELECT 1 FROM orders c WHERE c.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users p WHERE p.id = c.user_id))
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '0ms';
ALTER TABLE orders VALIDATE CONSTRAINT fk;
COMMIT;

-- contract-1 (contract): Drop name: a brief ACCESS EXCLUSIVE, no rewrite. The data is gone: the rollback re-adds an empty column.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 5 ms; one transaction
-- before: no view reads public.users.name: SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refobjid = 'public.users'::regclass AND a.attname = 'name')
-- before: no foreign key references public.users.name: SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.contype = 'f' AND c.confrelid = 'public.users'::regclass AND (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = 'public.users'::regclass AND attname = 'name') = ANY (c.confkey))
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
-- schemapilot-ignore drop-column: contract step, after every service stopped using the column
ALTER TABLE users DROP COLUMN name;
COMMIT;
