-- contract-1 cannot be fully undone: the statements below restore the structure, not the data
BEGIN;
ALTER TABLE users ADD COLUMN name character varying(100);
COMMIT;
