import type { Knex } from 'knex';

// backfill-1 (backfill): Backfill existing rows in batches of 5000, committing each batch, in id order.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.raw("DO $schemapilot$\nDECLARE\n  last_key bigint;\n  n bigint;\nBEGIN\n  LOOP\n    WITH batch AS (SELECT id FROM users WHERE (last_key IS NULL OR id > last_key) AND (token IS NULL) ORDER BY id LIMIT 5000),\n         done AS (UPDATE users AS target SET token = gen_random_uuid() FROM batch WHERE target.id = batch.id RETURNING target.id)\n    SELECT count(*), max(id) INTO n, last_key FROM done;\n    EXIT WHEN n = 0;\n    COMMIT;\n    PERFORM pg_sleep(0.100);\n  END LOOP;\nEND $schemapilot$");
}

export async function down(_knex: Knex): Promise<void> {
  // backfill-1 needs no undo
}
