/**
 * Opening a SQLite database file. Never creates one: a missing file is a one-line InputError
 * (exit 2), checked before opening and again by SQLite (`fileMustExist`), so a typo cannot
 * leave an empty database behind. A read-only session opens the file read-only
 * (SQLITE_OPEN_READONLY): every write fails with SQLITE_READONLY, whatever the SQL.
 * https://www.sqlite.org/c3ref/open.html
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../../core/errors.js';
import type { ServerVersion } from '../../core/dialect/version.js';
import { SqliteSession } from './session.js';
import { parseSqliteTarget } from './url.js';

export interface SqliteConnectOptions {
  /** Where the name came from, for messages: `--db`, `DATABASE_URL`. */
  source?: string;
  readOnly?: boolean;
  /**
   * How long a statement waits for another connection's lock before SQLITE_BUSY (PRAGMA
   * busy_timeout). Default: 5 s, better-sqlite3's default, for reads that must not queue long.
   */
  busyTimeoutMs?: number;
}

/** The default wait for a lock held by another connection (a writer committing, a checkpoint). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export class SqliteConnectError extends InputError {
  readonly code: string | undefined;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SqliteConnectError';
    this.code = options.code;
  }
}

export function connectSqlite(url: string, options: SqliteConnectOptions = {}): SqliteSession {
  const { path } = parseSqliteTarget(url, options.source);
  const cannot = (why: string, cause?: unknown, code?: string) =>
    new SqliteConnectError(`cannot open SQLite database ${path}: ${why}`, { cause, code });
  const problem = fileProblem(path);
  if (problem) throw cannot(problem);
  let db: Database.Database;
  try {
    db = new Database(path, {
      readonly: options.readOnly === true,
      fileMustExist: true,
      timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    });
  } catch (error) {
    throw cannot(messageOf(error), error, codeOf(error));
  }
  try {
    // The first read of the schema is where a file that is not a database says so (SQLITE_NOTADB).
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    const text = String((db.prepare('SELECT sqlite_version() AS v').get() as { v: unknown }).v);
    return new SqliteSession(
      db,
      path,
      libraryVersion(text),
      options.readOnly === true,
      lastWriterVersion(path),
    );
  } catch (error) {
    db.close();
    const code = codeOf(error);
    if (code === 'SQLITE_NOTADB') throw cannot('it is not a SQLite database', error, code);
    if (code === 'SQLITE_BUSY')
      throw cannot('another connection holds it locked (SQLITE_BUSY); try again', error, code);
    throw cannot(messageOf(error), error, code);
  }
}

/** Why the file cannot be opened as an existing database, before SQLite is asked; null if it can be tried. */
function fileProblem(path: string): string | null {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') return `no such file${sqlalchemyHint(path)}`;
    if (code === 'EACCES') return 'permission denied';
    if (code === 'ENOTDIR') return 'a part of the path is not a directory';
    return messageOf(error);
  }
  if (stat.isDirectory()) return 'it is a directory, not a database file';
  return null;
}

/**
 * SQLAlchemy reads `sqlite:///app.db` as the relative `app.db`; we read `/app.db`. When only the
 * relative one exists, say which spelling means it.
 */
function sqlalchemyHint(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) return '';
  const relative = path.slice(1);
  if (relative === '' || !existsSync(resolve(relative)) || dirname(relative) === '/') return '';
  return ` (sqlite:///${relative} names the absolute path /${relative}; for ./${relative} write sqlite:${relative})`;
}

/** The version as the library reports it (`3.53.2`): exact, so built here rather than parsed from user input. */
export function libraryVersion(text: string): ServerVersion {
  const parts = text.split('.').map((p) => Number.parseInt(p, 10));
  return { product: 'sqlite', parts: parts.every(Number.isFinite) ? parts : [0], text };
}

/**
 * The SQLite that last wrote the file, from its header (offset 96, valid when the number at 92
 * equals the change counter at 24: https://www.sqlite.org/fileformat2.html#database_header).
 * An application's SQLite is not the one schemapilot reads with, and the file is the only place
 * that says which it is. Null when the header does not vouch for it (an empty file, or a WAL
 * database whose header was not rewritten since).
 */
export function lastWriterVersion(path: string): ServerVersion | null {
  const header = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, header, 0, 100, 0) < 100) return null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return null;
  if (header.readUInt32BE(92) !== header.readUInt32BE(24)) return null;
  const n = header.readUInt32BE(96);
  if (n < 3_000_000 || n > 3_999_999) return null;
  const parts = [Math.floor(n / 1_000_000), Math.floor(n / 1_000) % 1_000, n % 1_000];
  return { product: 'sqlite', parts, text: parts.join('.') };
}

/** SQLite's own version number (SQLITE_VERSION_NUMBER): 3.53.2 → 3053002. */
export function versionNumber(version: ServerVersion): number {
  const [major = 0, minor = 0, patch = 0] = version.parts;
  return major * 1_000_000 + minor * 1_000 + patch;
}

export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
