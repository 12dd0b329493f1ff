import type { MigrationBuilder } from 'node-pg-migrate';

// validate-2 (validate): SET NOT NULL, proved by the validated CHECK without a scan; then drop the CHECK.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("SET LOCAL lock_timeout = '2000ms'");
  pgm.sql("SET LOCAL statement_timeout = '30000ms'");
  pgm.sql("ALTER TABLE users ALTER COLUMN token SET NOT NULL");
  pgm.sql("ALTER TABLE users DROP CONSTRAINT users_token_not_null");
  pgm.sql("COMMIT");
}

export function down(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("ALTER TABLE users ALTER COLUMN token DROP NOT NULL");
  pgm.sql("COMMIT");
}
