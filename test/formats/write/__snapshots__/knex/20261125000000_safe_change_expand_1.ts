import type { Knex } from 'knex';

// expand-1 (expand): Add token as a nullable column with no default: a catalog-only change.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '2000ms'");
    await trx.raw("SET LOCAL statement_timeout = '30000ms'");
    await trx.raw("ALTER TABLE users ADD COLUMN token uuid");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("ALTER TABLE users DROP COLUMN IF EXISTS token");
  });
}
