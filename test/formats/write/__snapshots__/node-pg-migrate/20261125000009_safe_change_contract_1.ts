import type { MigrationBuilder } from 'node-pg-migrate';

// contract-1 (contract): Drop name: a brief ACCESS EXCLUSIVE, no rewrite. The data is gone: the rollback re-adds an empty column.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("SET LOCAL lock_timeout = '2000ms'");
  pgm.sql("SET LOCAL statement_timeout = '30000ms'");
  pgm.sql("-- schemapilot-ignore drop-column: contract step, after every service stopped using the column\nALTER TABLE users DROP COLUMN name");
  pgm.sql("COMMIT");
}

export function down(pgm: MigrationBuilder): void {
  // contract-1 cannot be fully undone: the statements below restore the structure, not the data
  pgm.noTransaction();
  pgm.sql("BEGIN");
  pgm.sql("ALTER TABLE users ADD COLUMN name character varying(100)");
  pgm.sql("COMMIT");
}
