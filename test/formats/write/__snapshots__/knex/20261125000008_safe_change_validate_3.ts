import type { Knex } from 'knex';

// validate-3 (validate): Validate fk in its own transaction: reads every row while reads and writes go on.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '2000ms'");
    await trx.raw("SET LOCAL statement_timeout = '0ms'");
    await trx.raw("ALTER TABLE orders VALIDATE CONSTRAINT fk");
  });
}

export async function down(_knex: Knex): Promise<void> {
  // validate-3 needs no undo
}
