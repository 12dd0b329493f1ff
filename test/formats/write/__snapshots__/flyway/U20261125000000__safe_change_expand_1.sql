-- undo expand-1
ALTER TABLE users DROP COLUMN IF EXISTS token;
