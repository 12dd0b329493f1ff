-- rollback of safe change, last step first

-- contract-1 cannot be fully undone: the statements below restore the structure, not the data
BEGIN;
ALTER TABLE users ADD COLUMN name character varying(100);
COMMIT;

-- validate-3 needs no undo

-- undo expand-5
BEGIN;
ALTER TABLE orders DROP CONSTRAINT IF EXISTS fk;
COMMIT;

-- undo expand-4
DROP INDEX CONCURRENTLY IF EXISTS public.orders_status_idx;

-- undo validate-2
BEGIN;
ALTER TABLE users ALTER COLUMN token DROP NOT NULL;
COMMIT;

-- validate-1 needs no undo

-- undo expand-3
BEGIN;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_token_not_null;
COMMIT;

-- backfill-1 needs no undo

-- undo expand-2
BEGIN;
ALTER TABLE users ALTER COLUMN token DROP DEFAULT;
COMMIT;

-- undo expand-1
BEGIN;
ALTER TABLE users DROP COLUMN IF EXISTS token;
COMMIT;
