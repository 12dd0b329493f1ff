/**
 * SQLite's errors as deploy acts on them. The code deploy stores and a plan's `retryOn` lists is
 * better-sqlite3's `code`: SQLite's extended result code name ("SQLITE_BUSY",
 * "SQLITE_CONSTRAINT_NOTNULL"), which says more than the primary code (an incident names the
 * constraint) and needs no table of numbers. https://www.sqlite.org/rescode.html
 *
 * SQLite's "lock timeout": a statement waiting for another connection's lock retries for
 * PRAGMA busy_timeout, then fails with SQLITE_BUSY (https://www.sqlite.org/c3ref/busy_timeout.html).
 * SQLITE_LOCKED is a conflict inside this process (another connection on a shared cache, or
 * DROP TABLE while one of our statements still reads it): it clears as that statement ends.
 * SQLITE_BUSY_SNAPSHOT is a WAL reader that cannot upgrade to a writer because another
 * connection wrote since its read began: retrying the transaction is the cure
 * (https://www.sqlite.org/wal.html#sometimes_queries_return_sqlite_busy_in_wal_mode).
 */
import type { DeployErrors } from '../../../core/dialect/deploy.js';

/** The result codes a SQLite plan retries on: every kind of "someone else holds the lock". */
export const SQLITE_RETRY_ON = [
  'SQLITE_BUSY',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
  'SQLITE_LOCKED_SHAREDCACHE',
] as const;

/** SQLITE_INTERRUPT: sqlite3_interrupt(), which nothing here calls (better-sqlite3 has no interrupt). */
const INTERRUPT = 'SQLITE_INTERRUPT';

/** A file that vanished or cannot be written any more: no statement can succeed on it. */
const CONNECTION_CODES = new Set([
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_READONLY_DBMOVED',
]);

/** better-sqlite3's SqliteError code: `SQLITE_` and upper-case words. */
export function sqliteCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_[A-Z_]+$/.test(code) ? code : null;
}

/** The primary code of an extended one: SQLITE_BUSY_SNAPSHOT → SQLITE_BUSY. */
export function primaryCode(code: string): string {
  return /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code;
}

export const sqliteDeployErrors: DeployErrors = {
  code: sqliteCode,
  isConnectionError(error) {
    const code = sqliteCode(error);
    if (code !== null && (CONNECTION_CODES.has(code) || CONNECTION_CODES.has(primaryCode(code)))) return true;
    // better-sqlite3 throws a TypeError on a closed connection.
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' && /database connection is not open/i.test(message);
  },
  kind(error) {
    const code = sqliteCode(error);
    if (code === null) return 'other';
    const primary = primaryCode(code);
    if (primary === 'SQLITE_BUSY' || primary === 'SQLITE_LOCKED') return 'lock timeout';
    if (code === INTERRUPT) return 'cancelled';
    return 'other';
  },
  // The file went away under us: SQLite's generic I/O error.
  connectionLostCode: 'SQLITE_IOERR',
};
