import type { Knex } from 'knex';

// expand-2 (expand): Set the default for new rows only: existing rows keep NULL until the backfill.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '2000ms'");
    await trx.raw("SET LOCAL statement_timeout = '30000ms'");
    await trx.raw("ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid()");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("ALTER TABLE users ALTER COLUMN token DROP DEFAULT");
  });
}
