-- backfill-1 (backfill): Backfill existing rows in batches of 5000, committing each batch, in id order.
-- lock: ROW EXCLUSIVE on public.users; estimated 2405 ms; outside any transaction
SET lock_timeout = '2000ms';
SET statement_timeout = '0ms';
DO $schemapilot$
DECLARE
  last_key bigint;
  n bigint;
BEGIN
  LOOP
    WITH batch AS (SELECT id FROM users WHERE (last_key IS NULL OR id > last_key) AND (token IS NULL) ORDER BY id LIMIT 5000),
         done AS (UPDATE users AS target SET token = gen_random_uuid() FROM batch WHERE target.id = batch.id RETURNING target.id)
    SELECT count(*), max(id) INTO n, last_key FROM done;
    EXIT WHEN n = 0;
    COMMIT;
    PERFORM pg_sleep(0.100);
  END LOOP;
END $schemapilot$;
RESET lock_timeout;
RESET statement_timeout;
