/**
 * ory/x popx (the migrator of Kratos, Hydra, Keto): one folder for several databases,
 * `<version>_<name>[.<dialect>][.autocommit].(up|down).sql`, e.g.
 * `20210101000000_identities.postgres.up.sql` beside `….mysql.up.sql`, `….sqlite3.up.sql`,
 * `….cockroach.up.sql`; a file without a dialect part applies to every database.
 *
 * - The folder is walked recursively. A dialect part pop does not know is ignored; any other
 *   `.sql` name that does not match is refused (popx match.go parseMigrationFilename,
 *   migration_box.go findMigrations). Older popx also ran `.fizz` files, translated to each
 *   database's SQL by gobuffalo/fizz: they are not SQL, so they are left out here.
 * - For one database, each version runs once: its own dialect's file, else the file without a
 *   dialect part; versions in text order (migration_info.go sortAndFilter, compareMigration).
 *   CockroachDB is its own dialect (`cockroach`, `crdb`), not PostgreSQL.
 * - On PostgreSQL each migration runs in a transaction, unless its name has `.autocommit`; then
 *   the file is sent in one Exec without arguments, which pgx sends as one simple query, so
 *   several statements still share an implicit transaction (migrator.go UpTo,
 *   shouldNotUseTransaction). Files holding only comments are skipped (isMigrationEmpty).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { TransactionMode } from '../core/analysis.js';
import { InputError } from '../core/errors.js';

const NAME = /^(\d+)_([^.]+)(\.[a-z0-9]+)?(\.autocommit)?\.(up|down)\.(sql|fizz)$/;

/** pop's dialect names and their synonyms (pop.CanonicalDialect). */
const DIALECTS: Readonly<Record<string, string>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
  pgx: 'postgres',
  cockroach: 'cockroach',
  cockroachdb: 'cockroach',
  crdb: 'cockroach',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite3: 'sqlite3',
  sqlite: 'sqlite3',
};

/** The dialect this analysis reads: PostgreSQL is the only one today. */
const ANALYSED = 'postgres';

interface PopxName {
  version: string;
  /** `all`, a canonical pop dialect, or null for a part pop does not know. */
  dialect: string | null;
  autocommit: boolean;
  direction: 'up' | 'down';
  type: 'sql' | 'fizz';
}

function parse(file: string): PopxName | null {
  const m = NAME.exec(file);
  if (!m) return null;
  // `<v>_<name>.autocommit.up.sql`: the optional dialect group took the autocommit part.
  const part = m[3] === '.autocommit' ? '' : (m[3]?.slice(1) ?? '');
  return {
    version: m[1] ?? '',
    dialect: part === '' ? 'all' : (DIALECTS[part] ?? null),
    autocommit: m[3] === '.autocommit' || m[4] !== undefined,
    direction: m[5] === 'down' ? 'down' : 'up',
    type: m[6] === 'fizz' ? 'fizz' : 'sql',
  };
}

/** Names only popx writes: a database part, `.autocommit`, or fizz (golang-migrate has none). */
export function isPopxName(file: string): boolean {
  const p = parse(file);
  return p !== null && (p.type === 'fizz' || p.autocommit || (p.dialect !== null && p.dialect !== 'all'));
}

/** The up migrations popx runs on PostgreSQL, in order, and what was left out (one note a reason). */
export function popxFiles(dir: string, show: (path: string) => string): { paths: string[]; notes: string[] } {
  const chosen = new Map<string, { path: string; specific: boolean }>();
  const otherDatabases = new Map<string, number>();
  const skipped = { replaced: 0, fizz: 0, unknownDialect: 0 };
  const unmatched: string[] = [];
  for (const path of walk(dir)) {
    const name = parse(basename(path));
    if (name === null) {
      if (path.endsWith('.sql')) unmatched.push(show(path));
      continue;
    }
    if (name.direction === 'down') continue;
    if (name.dialect === null) skipped.unknownDialect++;
    else if (name.type === 'fizz') skipped.fizz++;
    else if (name.dialect !== 'all' && name.dialect !== ANALYSED) {
      otherDatabases.set(name.dialect, (otherDatabases.get(name.dialect) ?? 0) + 1);
    } else {
      const specific = name.dialect === ANALYSED;
      const prev = chosen.get(name.version);
      if (prev && prev.specific === specific) {
        // popx would keep one of the two without a word; which one depends on the walk order.
        throw new InputError(
          `${relative(dir, prev.path)} and ${relative(dir, path)} have the same popx version for ${ANALYSED}`,
        );
      }
      if (prev) skipped.replaced++;
      if (!prev || specific) chosen.set(name.version, { path, specific });
    }
  }
  const versions = [...chosen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    paths: versions.map((v) => chosen.get(v)?.path ?? ''),
    notes: notes(otherDatabases, skipped, unmatched),
  };
}

function notes(
  otherDatabases: ReadonlyMap<string, number>,
  skipped: { replaced: number; fizz: number; unknownDialect: number },
  unmatched: readonly string[],
): string[] {
  const out: string[] = [];
  const others = [...otherDatabases].sort(([a], [b]) => (a < b ? -1 : 1));
  const count = others.reduce((n, [, k]) => n + k, 0);
  if (count > 0) {
    out.push(
      `popx: ${plural(count, 'migration')} for other databases left out (${others.map(([d, k]) => `${d} ${k}`).join(', ')}); ` +
        `PostgreSQL runs the .postgres files and those without a database part`,
    );
  }
  if (skipped.replaced > 0) {
    out.push(
      `popx: ${plural(skipped.replaced, 'migration')} without a database part left out, replaced by the .postgres file of the same version`,
    );
  }
  if (skipped.fizz > 0) {
    out.push(
      `popx: ${plural(skipped.fizz, '.fizz migration')} left out (fizz is translated to SQL by the tool; not analysed)`,
    );
  }
  if (skipped.unknownDialect > 0) {
    out.push(
      `popx: ${plural(skipped.unknownDialect, 'migration')} for databases pop does not know left out, as popx ignores them`,
    );
  }
  if (unmatched.length > 0) {
    out.push(
      `popx: ${unmatched.slice(0, 3).join(', ')}${unmatched.length > 3 ? ` and ${unmatched.length - 3} more` : ''} ` +
        `not analysed: popx refuses to start with .sql files not named <version>_<name>[.<database>].(up|down).sql`,
    );
  }
  return out;
}

/** Why popx would not run this file on PostgreSQL, or null when it would (a single file given). */
export function popxLeftOut(file: string): string | null {
  const name = parse(basename(file));
  if (name === null || name.direction === 'down') return null;
  if (name.type === 'fizz') return `${file}: a .fizz migration (translated to SQL by the tool): not analysed`;
  if (name.dialect === null || (name.dialect !== 'all' && name.dialect !== ANALYSED)) {
    return `${file}: a popx migration for ${name.dialect ?? 'a database pop does not know'}, not PostgreSQL: not analysed`;
  }
  return null;
}

/** `.autocommit` migrations run without popx's transaction. */
export function popxMode(file: string): TransactionMode {
  return parse(basename(file))?.autocommit ? 'implicit' : 'transaction';
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}
