import type { MigrationBuilder } from 'node-pg-migrate';

// backfill-1 (backfill): Backfill existing rows in batches of 5000, committing each batch, in id order.
// noTransaction(): the step commits on its own, whatever --single-transaction says.
export function up(pgm: MigrationBuilder): void {
  pgm.noTransaction();
  pgm.sql("SET lock_timeout = '2000ms'");
  pgm.sql("SET statement_timeout = '0ms'");
  pgm.sql("DO $schemapilot$\nDECLARE\n  last_key bigint;\n  n bigint;\nBEGIN\n  LOOP\n    WITH batch AS (SELECT id FROM users WHERE (last_key IS NULL OR id > last_key) AND (token IS NULL) ORDER BY id LIMIT 5000),\n         done AS (UPDATE users AS target SET token = gen_random_uuid() FROM batch WHERE target.id = batch.id RETURNING target.id)\n    SELECT count(*), max(id) INTO n, last_key FROM done;\n    EXIT WHEN n = 0;\n    COMMIT;\n    PERFORM pg_sleep(0.100);\n  END LOOP;\nEND $schemapilot$");
  pgm.sql("RESET lock_timeout");
  pgm.sql("RESET statement_timeout");
}

export function down(_pgm: MigrationBuilder): void {
  // backfill-1 needs no undo
}
