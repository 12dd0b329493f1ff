import type { MigrationBuilder } from 'node-pg-migrate';

// expand-2 (expand): Set the default for new rows only: existing rows keep NULL until the backfill.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("SET LOCAL lock_timeout = '2000ms'");
  pgm.sql("SET LOCAL statement_timeout = '30000ms'");
  pgm.sql("ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid()");
  pgm.sql("COMMIT");
}

export function down(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("ALTER TABLE users ALTER COLUMN token DROP DEFAULT");
  pgm.sql("COMMIT");
}
