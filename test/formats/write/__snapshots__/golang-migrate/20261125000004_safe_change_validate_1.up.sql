-- validate-1 (validate): Validate the CHECK: reads every row under SHARE UPDATE EXCLUSIVE, reads and writes go on.
-- lock: SHARE UPDATE EXCLUSIVE on public.users; estimated 605 ms; one transaction
-- before: no NULL left in public.users.token: SELECT NOT EXISTS (SELECT 1 FROM users WHERE token IS NULL)
BEGIN;
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '0ms';
ALTER TABLE users VALIDATE CONSTRAINT users_token_not_null;
COMMIT;
