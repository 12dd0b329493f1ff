/**
 * SQLite's words in an incident report. There is no session list to query: who holds the write
 * lock is a process with the file open, found with the operating system's tools (`lsof`,
 * `fuser`), so the "queries" for lock holders and long transactions are those commands, as
 * SQL comments the report quotes. Result codes: https://www.sqlite.org/rescode.html
 */
import type { IncidentWords } from '../../../core/dialect/deploy.js';
import { quoteIdent } from '../quote.js';

const ERROR_NAMES: Record<string, string> = {
  SQLITE_BUSY: 'SQLITE_BUSY (another connection held the write lock past busy_timeout)',
  SQLITE_BUSY_SNAPSHOT: 'SQLITE_BUSY_SNAPSHOT (another connection wrote since our read began)',
  SQLITE_BUSY_RECOVERY: 'SQLITE_BUSY_RECOVERY (another connection was recovering the WAL)',
  SQLITE_BUSY_TIMEOUT: 'SQLITE_BUSY_TIMEOUT',
  SQLITE_LOCKED: 'SQLITE_LOCKED (a conflict with another statement of this process)',
  SQLITE_LOCKED_SHAREDCACHE: 'SQLITE_LOCKED_SHAREDCACHE',
  SQLITE_READONLY: 'SQLITE_READONLY (the file or its directory is not writable)',
  SQLITE_FULL: 'SQLITE_FULL (the disk is full)',
  SQLITE_IOERR: 'SQLITE_IOERR (the file could not be read or written)',
  SQLITE_CORRUPT: 'SQLITE_CORRUPT (the file is damaged)',
  SQLITE_ERROR: 'SQLITE_ERROR (SQL error or missing object)',
  SQLITE_CONSTRAINT: 'SQLITE_CONSTRAINT',
  SQLITE_CONSTRAINT_NOTNULL: 'SQLITE_CONSTRAINT_NOTNULL',
  SQLITE_CONSTRAINT_UNIQUE: 'SQLITE_CONSTRAINT_UNIQUE',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'SQLITE_CONSTRAINT_PRIMARYKEY',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'SQLITE_CONSTRAINT_FOREIGNKEY',
  SQLITE_CONSTRAINT_CHECK: 'SQLITE_CONSTRAINT_CHECK',
  SQLITE_CONSTRAINT_TRIGGER: 'SQLITE_CONSTRAINT_TRIGGER (a RAISE in a trigger)',
};

const VIOLATIONS: Record<string, NonNullable<ReturnType<IncidentWords['violation']>>> = {
  SQLITE_CONSTRAINT_NOTNULL: 'not null',
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign key',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT: 'constraint',
};

/** A plan's `main.orders` is the file's `orders`. */
function quoteTable(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 || name.slice(0, dot) === 'main'
    ? quoteIdent(name.slice(dot + 1))
    : `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
}

const WHO_HAS_IT_OPEN = [
  '-- SQLite has no session list: the holders of its write lock are the processes with the file open.',
  '-- Run in a shell on the host (add the -wal and -shm files in WAL mode):',
  '--   lsof app.db app.db-wal      or      fuser -v app.db',
].join('\n');

export const sqliteIncidentWords: IncidentWords = {
  product: 'SQLite',
  codeLabel: 'result code',
  errorName: (code) => ERROR_NAMES[code],
  violation: (code) => (code === null ? null : (VIOLATIONS[code] ?? null)),
  // "NOT NULL constraint failed: users.email"
  nullColumn: (message) => /NOT NULL constraint failed: (?:[^.\s]+\.)?(\S+)/.exec(message)?.[1] ?? null,
  quoteIdent,
  quoteTable,
  lockTimeoutSetting: 'busy_timeout',
  idleTimeout: {
    setting: 'busy_timeout',
    who: 'every connection of the application (a writer without it fails at once with SQLITE_BUSY), and keep its write transactions short: SQLite cannot end another process’s transaction',
  },
  lockHolders: () => WHO_HAS_IT_OPEN,
  endSession: (pid) => `-- end the process holding the lock, if that is safe: kill ${pid}`,
  idleInTransaction: () => false,
  longTransactions: WHO_HAS_IT_OPEN,
  leftover: {
    what: 'leftover table',
    cause: 'left by a table rebuild that ran outside a transaction',
    drop: (name) => `DROP TABLE IF EXISTS ${quoteTable(name)}`,
  },
};
