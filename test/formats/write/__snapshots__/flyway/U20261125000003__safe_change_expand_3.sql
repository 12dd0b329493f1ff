-- undo expand-3
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_token_not_null;
