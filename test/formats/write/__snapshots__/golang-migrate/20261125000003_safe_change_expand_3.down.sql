-- undo expand-3
BEGIN;
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_token_not_null;
COMMIT;
