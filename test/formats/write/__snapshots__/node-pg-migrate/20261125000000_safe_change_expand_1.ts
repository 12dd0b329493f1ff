import type { MigrationBuilder } from 'node-pg-migrate';

// expand-1 (expand): Add token as a nullable column with no default: a catalog-only change.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("SET LOCAL lock_timeout = '2000ms'");
  pgm.sql("SET LOCAL statement_timeout = '30000ms'");
  pgm.sql("ALTER TABLE users ADD COLUMN token uuid");
  pgm.sql("COMMIT");
}

export function down(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("ALTER TABLE users DROP COLUMN IF EXISTS token");
  pgm.sql("COMMIT");
}
