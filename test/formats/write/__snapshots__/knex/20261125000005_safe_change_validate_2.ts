import type { Knex } from 'knex';

// validate-2 (validate): SET NOT NULL, proved by the validated CHECK without a scan; then drop the CHECK.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '2000ms'");
    await trx.raw("SET LOCAL statement_timeout = '30000ms'");
    await trx.raw("ALTER TABLE users ALTER COLUMN token SET NOT NULL");
    await trx.raw("ALTER TABLE users DROP CONSTRAINT users_token_not_null");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("ALTER TABLE users ALTER COLUMN token DROP NOT NULL");
  });
}
