-- expand-2 (expand): Set the default for new rows only: existing rows keep NULL until the backfill.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 5 ms; one transaction
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();
COMMIT;
