-- undo validate-2
ALTER TABLE users ALTER COLUMN token DROP NOT NULL;
