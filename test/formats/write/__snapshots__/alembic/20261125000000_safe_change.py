"""safe change

Planned by schemapilot for PostgreSQL 15.
"""
from alembic import op

revision = "20261125000000"
down_revision = None  # set to the previous revision
branch_labels = None
depends_on = None


def upgrade() -> None:
    # expand-1 (expand): Add token as a nullable column with no default: a catalog-only change.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""SET LOCAL lock_timeout = '2000ms'""")
        op.execute(r"""SET LOCAL statement_timeout = '30000ms'""")
        op.execute(r"""ALTER TABLE users ADD COLUMN token uuid""")
        op.execute(r"""COMMIT""")
    # expand-2 (expand): Set the default for new rows only: existing rows keep NULL until the backfill.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""SET LOCAL lock_timeout = '2000ms'""")
        op.execute(r"""SET LOCAL statement_timeout = '30000ms'""")
        op.execute(r"""ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid()""")
        op.execute(r"""COMMIT""")
    # backfill-1 (backfill): Backfill existing rows in batches of 5000, committing each batch, in id order.
    with op.get_context().autocommit_block():
        op.execute(r"""SET lock_timeout = '2000ms'""")
        op.execute(r"""SET statement_timeout = '0ms'""")
        op.execute(r"""DO $schemapilot$
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
END $schemapilot$""")
        op.execute(r"""RESET lock_timeout""")
        op.execute(r"""RESET statement_timeout""")
    # expand-3 (expand): Add CHECK (token IS NOT NULL) NOT VALID: only new writes are checked, no scan.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""SET LOCAL lock_timeout = '2000ms'""")
        op.execute(r"""SET LOCAL statement_timeout = '30000ms'""")
        op.execute(r"""ALTER TABLE users ADD CONSTRAINT users_token_not_null CHECK (token IS NOT NULL) NOT VALID""")
        op.execute(r"""COMMIT""")
    # validate-1 (validate): Validate the CHECK: reads every row under SHARE UPDATE EXCLUSIVE, reads and writes go on.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""SET LOCAL lock_timeout = '2000ms'""")
        op.execute(r"""SET LOCAL statement_timeout = '0ms'""")
        op.execute(r"""ALTER TABLE users VALIDATE CONSTRAINT users_token_not_null""")
        op.execute(r"""COMMIT""")
    # validate-2 (validate): SET NOT NULL, proved by the validated CHECK without a scan; then drop the CHECK.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""SET LOCAL lock_timeout = '2000ms'""")
        op.execute(r"""SET LOCAL statement_timeout = '30000ms'""")
        op.execute(r"""ALTER TABLE users ALTER COLUMN token SET NOT NULL""")
        op.execute(r"""ALTER TABLE users DROP CONSTRAINT users_token_not_null""")
        op.execute(r"""COMMIT""")
    # expand-4 (expand): Build index orders_status_idx CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on; outside any transaction.
    with op.get_context().autocommit_block():
        op.execute(r"""SET lock_timeout = '2000ms'""")
        op.execute(r"""SET statement_timeout = '0ms'""")
        op.execute(r"""CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)""")
        op.execute(r"""RESET lock_timeout""")
        op.execute(r"""RESET statement_timeout""")
    # expand-5 (expand): Add fk NOT VALID: new writes are checked, existing rows are not read.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""SET LOCAL lock_timeout = '2000ms'""")
        op.execute(r"""SET LOCAL statement_timeout = '30000ms'""")
        op.execute(r"""ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID""")
        op.execute(r"""COMMIT""")
    # validate-3 (validate): Validate fk in its own transaction: reads every row while reads and writes go on.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""SET LOCAL lock_timeout = '2000ms'""")
        op.execute(r"""SET LOCAL statement_timeout = '0ms'""")
        op.execute(r"""ALTER TABLE orders VALIDATE CONSTRAINT fk""")
        op.execute(r"""COMMIT""")
    # contract-1 (contract): Drop name: a brief ACCESS EXCLUSIVE, no rewrite. The data is gone: the rollback re-adds an empty column.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""SET LOCAL lock_timeout = '2000ms'""")
        op.execute(r"""SET LOCAL statement_timeout = '30000ms'""")
        op.execute(r"""-- schemapilot-ignore drop-column: contract step, after every service stopped using the column
ALTER TABLE users DROP COLUMN name""")
        op.execute(r"""COMMIT""")


def downgrade() -> None:
    # contract-1 cannot be fully undone: the statements below restore the structure, not the data
    # contract-1 (contract): Drop name: a brief ACCESS EXCLUSIVE, no rewrite. The data is gone: the rollback re-adds an empty column.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""ALTER TABLE users ADD COLUMN name character varying(100)""")
        op.execute(r"""COMMIT""")
    # expand-5 (expand): Add fk NOT VALID: new writes are checked, existing rows are not read.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""ALTER TABLE orders DROP CONSTRAINT IF EXISTS fk""")
        op.execute(r"""COMMIT""")
    # expand-4 (expand): Build index orders_status_idx CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on; outside any transaction.
    with op.get_context().autocommit_block():
        op.execute(r"""DROP INDEX CONCURRENTLY IF EXISTS public.orders_status_idx""")
    # validate-2 (validate): SET NOT NULL, proved by the validated CHECK without a scan; then drop the CHECK.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""ALTER TABLE users ALTER COLUMN token DROP NOT NULL""")
        op.execute(r"""COMMIT""")
    # expand-3 (expand): Add CHECK (token IS NOT NULL) NOT VALID: only new writes are checked, no scan.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""ALTER TABLE users DROP CONSTRAINT IF EXISTS users_token_not_null""")
        op.execute(r"""COMMIT""")
    # expand-2 (expand): Set the default for new rows only: existing rows keep NULL until the backfill.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""ALTER TABLE users ALTER COLUMN token DROP DEFAULT""")
        op.execute(r"""COMMIT""")
    # expand-1 (expand): Add token as a nullable column with no default: a catalog-only change.
    with op.get_context().autocommit_block():
        op.execute(r"""BEGIN""")
        op.execute(r"""ALTER TABLE users DROP COLUMN IF EXISTS token""")
        op.execute(r"""COMMIT""")
