import type { MigrationBuilder } from 'node-pg-migrate';

// validate-1 (validate): Validate the CHECK: reads every row under SHARE UPDATE EXCLUSIVE, reads and writes go on.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("SET LOCAL lock_timeout = '2000ms'");
  pgm.sql("SET LOCAL statement_timeout = '0ms'");
  pgm.sql("ALTER TABLE users VALIDATE CONSTRAINT users_token_not_null");
  pgm.sql("COMMIT");
}

export function down(_pgm: MigrationBuilder): void {
  // validate-1 needs no undo
}
