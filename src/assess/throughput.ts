/**
 * How fast a PostgreSQL server reads, rewrites and indexes a table: the model behind every
 * lock-duration estimate. Calibrated by `npm run bench calibrate` on a real server; the
 * measurements, the machine and the estimate-vs-measured table are in bench/RESULTS.md,
 * section "calibrate". The constants are round figures below the slowest rate measured for
 * each kind of work: the benchmark ran on an otherwise idle table already in the OS cache,
 * while production tables are read from disk under live traffic, so an estimate should err
 * long rather than short.
 */
export interface Throughput {
  /** Sequential scan that validates rows (NOT NULL, CHECK, FK): heap bytes per second. */
  scanBytesPerSec: number;
  /** Rewrite into new files (volatile default, type change, VACUUM FULL): heap bytes per second. */
  rewriteBytesPerSec: number;
  /** Index (re)build: heap bytes per second, per index. */
  indexBuildBytesPerSec: number;
  /** A catalog-only change (drop column, set default, add nullable column). */
  catalogOnlyMs: number;
}

export const DEFAULT_THROUGHPUT: Throughput = {
  // Measured 240–1,080 MB/s per statement (CHECK, SET NOT NULL, VALIDATE, foreign keys; the
  // slowest a foreign key, whose check query pays for planning and JIT), 266 MB/s at the margin.
  scanBytesPerSec: 200e6,
  // Measured 85–138 MB/s for a bare int → bigint rewrite, 76 MB/s at the margin.
  rewriteBytesPerSec: 50e6,
  // Measured 51 MB/s (CREATE INDEX CONCURRENTLY, which scans twice) to 230 MB/s (plain CREATE
  // INDEX with parallel workers); a rebuild inside a rewrite came to 104–157 MB/s per index.
  indexBuildBytesPerSec: 40e6,
  catalogOnlyMs: 5,
};
