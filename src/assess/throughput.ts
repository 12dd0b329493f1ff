/**
 * How fast a PostgreSQL server reads, rewrites and indexes a table: the model behind every
 * lock-duration estimate. Calibrated by `npm run bench calibrate` on a real server (numbers
 * and machine in bench/RESULTS.md, section "calibrate"); conservative round figures below the
 * measured ones, since production servers are busier than a benchmark.
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
  scanBytesPerSec: 300e6,
  rewriteBytesPerSec: 60e6,
  indexBuildBytesPerSec: 60e6,
  catalogOnlyMs: 5,
};
