/** What SQLite can do, for the parts of the engine that choose between strategies. */
import type { Capabilities } from '../../core/dialect/index.js';

export const SQLITE_CAPABILITIES: Capabilities = {
  // Every DDL statement runs inside the transaction and rolls back with it; the 12-step
  // rebuild relies on that (https://www.sqlite.org/lang_altertable.html#otheralter,
  // https://www.sqlite.org/lang_transaction.html). Tested in test/dialects/sqlite/facts.
  transactionalDdl: true,
  // CREATE INDEX holds the database write lock until it commits: no online build.
  concurrentIndexBuilds: false,
  // No NOT VALID: ADD CHECK and SET NOT NULL (3.53.0+) check every row when they run.
  notValidConstraints: false,
  // A statement's wait for the database lock is bounded per connection by the busy timeout
  // (`PRAGMA busy_timeout = ms`, sqlite3_busy_timeout): past it the statement fails with
  // SQLITE_BUSY, which is what lock_timeout does for PostgreSQL. Unlike PostgreSQL there is no
  // lock queue: a waiting writer holds nobody back (docs/decisions/0033-sqlite-facts.md).
  lockTimeout: true,
  // SQLite has no identifier length limit (names are bounded only by SQLITE_MAX_SQL_LENGTH,
  // 10^9 bytes here); generated names are kept under this many bytes only to stay readable.
  maxIdentifierBytes: 1024,
};
