-- contract-1 (contract): Drop name: a brief ACCESS EXCLUSIVE, no rewrite. The data is gone: the rollback re-adds an empty column.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 5 ms; one transaction
-- before: no view reads public.users.name: SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refobjid = 'public.users'::regclass AND a.attname = 'name')
-- before: no foreign key references public.users.name: SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.contype = 'f' AND c.confrelid = 'public.users'::regclass AND (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = 'public.users'::regclass AND attname = 'name') = ANY (c.confkey))
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
-- schemapilot-ignore drop-column: contract step, after every service stopped using the column
ALTER TABLE users DROP COLUMN name;
