/**
 * How a SQLite database is named on the command line: a file, so a path, in one of these forms.
 *
 * - `sqlite:path/to/app.db` (relative to the working directory), `sqlite:/abs/app.db`;
 * - `sqlite://path` and `sqlite:///abs/path`: the two slashes after the scheme are dropped and the
 *   rest is the path (as golang-migrate and dbmate read their `sqlite3://` / `sqlite:` URLs), so
 *   `sqlite:///data/app.db` is `/data/app.db` and `sqlite://app.db` is `./app.db`. SQLAlchemy
 *   reads `sqlite:///app.db` as relative; here it is `/app.db`, and when that file is missing
 *   but `./app.db` exists, the error says which to write;
 * - `sqlite3:` as `sqlite:` (golang-migrate's scheme);
 * - `file:` URIs (https://www.sqlite.org/uri.html, RFC 8089): `file:app.db`, `file:///abs/app.db`,
 *   `file://localhost/abs/app.db`, %-escapes decoded;
 * - a bare path ending in .db, .sqlite, .sqlite3 or .db3 (`isSqliteFilePath`).
 *
 * Query parameters are refused rather than ignored: `?mode=memory` or `?vfs=…` would change
 * which database is meant, and a parameter we drop silently is a surprise. A path with a `?`
 * in its name can be given bare. Nothing here touches the file system.
 */
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/errors.js';

/** A database file given to --db with no scheme is SQLite's when its name ends so. */
export const SQLITE_FILE_EXTENSIONS = ['.db', '.sqlite', '.sqlite3', '.db3'] as const;

export const SQLITE_URL_SCHEMES = ['sqlite', 'sqlite3', 'file'] as const;

export interface SqliteTarget {
  /** The file, as the user named it (relative paths stay relative to the working directory). */
  path: string;
}

/** A path without a URL scheme (a one-letter Windows drive is not a scheme) ending in a SQLite extension. */
export function isSqliteFilePath(text: string): boolean {
  const t = text.trim();
  if (t === '' || /^[a-z][a-z0-9+.-]+:/i.test(t)) return false;
  // A libpq keyword string (`dbname=app.db`) is PostgreSQL's, even when it ends in .db.
  if (/^\s*\w+\s*=/.test(t)) return false;
  const lower = t.toLowerCase();
  return SQLITE_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}

export function parseSqliteTarget(text: string, source?: string): SqliteTarget {
  const where = source ? `${source}: ` : '';
  const raw = text.trim();
  const bad = (why: string) => new InputError(`${where}invalid SQLite database "${raw}": ${why}`);
  if (isSqliteFilePath(raw)) return { path: raw };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'file') return { path: fileUriPath(raw, bad) };
  if (scheme !== 'sqlite' && scheme !== 'sqlite3')
    throw bad(
      `expected sqlite:path/to/app.db, sqlite:///absolute/path.db, file:app.db or a path ending in ${SQLITE_FILE_EXTENSIONS.join(', ')}`,
    );
  let path = raw.slice(scheme.length + 1);
  if (path.startsWith('//')) path = path.slice(2);
  if (path.includes('?'))
    throw bad('SQLite URLs take no parameters (name the file only; a path with "?" in it can be given bare)');
  if (path.includes('#')) throw bad('SQLite URLs take no #fragment');
  if (path === '') throw bad('no file named after the scheme');
  if (path === ':memory:') throw bad('an in-memory database has no schema to read: name a file');
  return { path };
}

function fileUriPath(raw: string, bad: (why: string) => InputError): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('not a file: URI');
  }
  if (url.search !== '')
    throw bad('file: URIs take no parameters here (mode, cache, vfs…): name the file only');
  if (url.hash !== '') throw bad('file: URIs take no #fragment');
  if (url.host !== '' && url.host !== 'localhost')
    throw bad(`a file on another host (${url.host}) cannot be opened`);
  // `file:app.db` (no slashes) is relative, as SQLite reads it; WHATWG URL would make it absolute.
  const opaque = /^file:(?!\/)/i.test(raw);
  if (opaque) {
    const rest = raw.slice('file:'.length);
    try {
      return decodeURIComponent(rest);
    } catch {
      throw bad('malformed %-escape');
    }
  }
  try {
    return fileURLToPath(url);
  } catch (error) {
    throw bad((error as Error).message);
  }
}

/** What messages show: the path. SQLite files have no password; nothing is hidden. */
export function describeSqliteTarget(url: string, source?: string): string {
  return parseSqliteTarget(url, source).path;
}

/** The URL scratch databases and messages use for a path: `sqlite:` + the path as it is. */
export function sqliteUrlOf(path: string): string {
  return `sqlite:${path}`;
}
