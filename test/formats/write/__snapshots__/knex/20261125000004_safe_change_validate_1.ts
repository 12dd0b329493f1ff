import type { Knex } from 'knex';

// validate-1 (validate): Validate the CHECK: reads every row under SHARE UPDATE EXCLUSIVE, reads and writes go on.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '2000ms'");
    await trx.raw("SET LOCAL statement_timeout = '0ms'");
    await trx.raw("ALTER TABLE users VALIDATE CONSTRAINT users_token_not_null");
  });
}

export async function down(_knex: Knex): Promise<void> {
  // validate-1 needs no undo
}
