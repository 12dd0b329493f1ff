import type { MigrationBuilder } from 'node-pg-migrate';

// expand-4 (expand): Build index orders_status_idx CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on; outside any transaction.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("SET lock_timeout = '2000ms'");
  pgm.sql("SET statement_timeout = '0ms'");
  pgm.sql("CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)");
  pgm.sql("RESET lock_timeout");
  pgm.sql("RESET statement_timeout");
}

export function down(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("DROP INDEX CONCURRENTLY IF EXISTS public.orders_status_idx");
}
