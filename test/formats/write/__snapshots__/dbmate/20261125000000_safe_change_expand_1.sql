-- migrate:up
-- expand-1 (expand): Add token as a nullable column with no default: a catalog-only change.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 5 ms; one transaction
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE users ADD COLUMN token uuid;

-- migrate:down
-- undo expand-1
ALTER TABLE users DROP COLUMN IF EXISTS token;
