-- The brief's example: add a NOT NULL column with a constant default.
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false;
