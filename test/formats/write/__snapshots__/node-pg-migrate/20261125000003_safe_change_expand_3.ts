import type { MigrationBuilder } from 'node-pg-migrate';

// expand-3 (expand): Add CHECK (token IS NOT NULL) NOT VALID: only new writes are checked, no scan.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("SET LOCAL lock_timeout = '2000ms'");
  pgm.sql("SET LOCAL statement_timeout = '30000ms'");
  pgm.sql("ALTER TABLE users ADD CONSTRAINT users_token_not_null CHECK (token IS NOT NULL) NOT VALID");
  pgm.sql("COMMIT");
}

export function down(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("ALTER TABLE users DROP CONSTRAINT IF EXISTS users_token_not_null");
  pgm.sql("COMMIT");
}
