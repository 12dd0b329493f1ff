-- undo expand-5
ALTER TABLE orders DROP CONSTRAINT IF EXISTS fk;
