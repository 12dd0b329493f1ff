import type { MigrationBuilder } from 'node-pg-migrate';

// validate-3 (validate): Validate fk in its own transaction: reads every row while reads and writes go on.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("SET LOCAL lock_timeout = '2000ms'");
  pgm.sql("SET LOCAL statement_timeout = '0ms'");
  pgm.sql("ALTER TABLE orders VALIDATE CONSTRAINT fk");
  pgm.sql("COMMIT");
}

export function down(_pgm: MigrationBuilder): void {
  // validate-3 needs no undo
}
