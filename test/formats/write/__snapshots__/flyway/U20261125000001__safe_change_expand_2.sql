-- undo expand-2
ALTER TABLE users ALTER COLUMN token DROP DEFAULT;
