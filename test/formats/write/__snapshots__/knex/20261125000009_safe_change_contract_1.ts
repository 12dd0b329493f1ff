import type { Knex } from 'knex';

// contract-1 (contract): Drop name: a brief ACCESS EXCLUSIVE, no rewrite. The data is gone: the rollback re-adds an empty column.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw("SET LOCAL lock_timeout = '2000ms'");
    await trx.raw("SET LOCAL statement_timeout = '30000ms'");
    await trx.raw("-- schemapilot-ignore drop-column: contract step, after every service stopped using the column\nALTER TABLE users DROP COLUMN name");
  });
}

export async function down(knex: Knex): Promise<void> {
  // contract-1 cannot be fully undone: the statements below restore the structure, not the data
  await knex.transaction(async (trx) => {
    await trx.raw("ALTER TABLE users ADD COLUMN name character varying(100)");
  });
}
