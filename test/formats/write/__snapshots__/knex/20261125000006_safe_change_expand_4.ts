import type { Knex } from 'knex';

// expand-4 (expand): Build index orders_status_idx CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on; outside any transaction.
// transaction: false, so that the step commits on its own even when Knex batches migrations.
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX CONCURRENTLY IF EXISTS public.orders_status_idx");
}
