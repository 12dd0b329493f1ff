/**
 * The dialect registry: the one place that names the concrete dialects. Commands and the
 * public API look dialects up here; the layers below receive the Dialect object.
 */
import type { Dialect } from '../core/dialect/index.js';
import { InputError } from '../core/errors.js';
import { mysqlDialect } from './mysql/index.js';
import { postgresDialect } from './postgres/index.js';
import { sqliteDialect } from './sqlite/index.js';

// `npm run new:dialect` adds a dialect's import above and its entry here.
const BUILT_IN: readonly Dialect[] = [postgresDialect, mysqlDialect, sqliteDialect];

const DIALECTS = new Map<string, Dialect>(BUILT_IN.map((d) => [d.name, d]));

export const DEFAULT_DIALECT = postgresDialect;

export function dialectNames(): string[] {
  return [...DIALECTS.keys()];
}

/** The dialect registered under `name`; an InputError naming `source` (a flag, a config key) otherwise. */
export function dialectNamed(name: string, source = 'dialect'): Dialect {
  const dialect = DIALECTS.get(name);
  if (!dialect)
    throw new InputError(`${source}: unknown dialect "${name}" (known: ${dialectNames().join(', ')})`);
  return dialect;
}

/**
 * Add a dialect at run time: a library user's own, or a test's. A name already taken is
 * refused (a dialect is replaced by no one).
 */
export function registerDialect(dialect: Dialect): void {
  if (DIALECTS.has(dialect.name)) throw new Error(`a dialect named "${dialect.name}" is already registered`);
  DIALECTS.set(dialect.name, dialect);
}

/** Every URL scheme a registered dialect claims, with `://` ("postgres://", "mysql://"). */
export function knownUrlSchemes(): string[] {
  return [...DIALECTS.values()].flatMap((d) => (d.urlSchemes ?? []).map((s) => `${s}://`));
}

/** File extensions that name a dialect's database files when given as a bare path (`.db`, `.sqlite`). */
export function knownFileExtensions(): string[] {
  return [...DIALECTS.values()].flatMap((d) => [...(d.fileExtensions ?? [])]);
}

/**
 * The dialect a connection string names by its scheme (`mysql://` → mysql), or, for a path with
 * no scheme, by its file extension (`app.db` → sqlite); undefined otherwise (a libpq
 * `host=… dbname=…` string is PostgreSQL's: the caller's default applies).
 */
export function dialectOfUrl(url: string): Dialect | undefined {
  const text = url.trim();
  // One letter before the colon is a Windows drive (C:\data\app.db), not a scheme.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined) return [...DIALECTS.values()].find((d) => d.urlSchemes?.includes(scheme));
  return dialectOfPath(text);
}

/** The dialect whose file extension ends `path`; a libpq keyword string (`dbname=app.db`) is none. */
function dialectOfPath(path: string): Dialect | undefined {
  if (path === '' || /^\w+\s*=/.test(path)) return undefined;
  const lower = path.toLowerCase();
  return [...DIALECTS.values()].find((d) =>
    (d.fileExtensions ?? []).some((ext) => lower.endsWith(ext.toLowerCase()) && lower.length > ext.length),
  );
}

/**
 * The dialect of a run from what the user gave: `--dialect` (or the config's `dialect`), the
 * database URL's scheme, a snapshot's dialect; PostgreSQL when nothing says. A `--dialect`
 * that contradicts the URL or the snapshot is an InputError: one of them is a mistake.
 */
export function chooseDialect(given: {
  name?: string | undefined;
  /** Where `name` came from, for messages ("--dialect", "schemapilot.config.json: dialect"). */
  nameSource?: string;
  url?: string | undefined;
  urlSource?: string;
  snapshotDialect?: string | undefined;
}): Dialect {
  const named =
    given.name !== undefined ? dialectNamed(given.name, given.nameSource ?? '--dialect') : undefined;
  const fromUrl = given.url !== undefined ? dialectOfUrl(given.url) : undefined;
  const fromSnapshot =
    given.snapshotDialect !== undefined ? dialectNamed(given.snapshotDialect, 'snapshot') : undefined;
  if (named && fromUrl && named !== fromUrl)
    throw new InputError(
      `${given.nameSource ?? '--dialect'} says ${named.name} but ${given.urlSource ?? '--db'} is a ${fromUrl.title} URL`,
    );
  if (named && fromSnapshot && named !== fromSnapshot)
    throw new InputError(
      `${given.nameSource ?? '--dialect'} says ${named.name} but the snapshot is of ${fromSnapshot.title}`,
    );
  return named ?? fromUrl ?? fromSnapshot ?? DEFAULT_DIALECT;
}
