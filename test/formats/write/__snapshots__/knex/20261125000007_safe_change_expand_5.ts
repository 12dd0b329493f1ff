import type { Knex } from 'knex';

// expand-5 (expand): Add fk NOT VALID: new writes are checked, existing rows are not read.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '2000ms'");
    await trx.raw("SET LOCAL statement_timeout = '30000ms'");
    await trx.raw("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("ALTER TABLE orders DROP CONSTRAINT IF EXISTS fk");
  });
}
