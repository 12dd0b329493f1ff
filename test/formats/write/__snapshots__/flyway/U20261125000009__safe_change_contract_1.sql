-- contract-1 cannot be fully undone: the statements below restore the structure, not the data
ALTER TABLE users ADD COLUMN name character varying(100);
