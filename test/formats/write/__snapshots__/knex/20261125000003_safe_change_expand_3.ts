import type { Knex } from 'knex';

// expand-3 (expand): Add CHECK (token IS NOT NULL) NOT VALID: only new writes are checked, no scan.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '2000ms'");
    await trx.raw("SET LOCAL statement_timeout = '30000ms'");
    await trx.raw("ALTER TABLE users ADD CONSTRAINT users_token_not_null CHECK (token IS NOT NULL) NOT VALID");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("ALTER TABLE users DROP CONSTRAINT IF EXISTS users_token_not_null");
  });
}
