-- expand-3 (expand): Add CHECK (token IS NOT NULL) NOT VALID: only new writes are checked, no scan.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 5 ms; one transaction
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE users ADD CONSTRAINT users_token_not_null CHECK (token IS NOT NULL) NOT VALID;
