import type { MigrationBuilder } from 'node-pg-migrate';

// expand-5 (expand): Add fk NOT VALID: new writes are checked, existing rows are not read.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("SET LOCAL lock_timeout = '2000ms'");
  pgm.sql("SET LOCAL statement_timeout = '30000ms'");
  pgm.sql("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");
  pgm.sql("COMMIT");
}

export function down(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("ALTER TABLE orders DROP CONSTRAINT IF EXISTS fk");
  pgm.sql("COMMIT");
}
