-- validate-2 (validate): SET NOT NULL, proved by the validated CHECK without a scan; then drop the CHECK.
-- lock: ACCESS EXCLUSIVE on public.users; estimated 10 ms; one transaction
SET LOCAL lock_timeout = '2000ms';
SET LOCAL statement_timeout = '30000ms';
ALTER TABLE users ALTER COLUMN token SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_token_not_null;
