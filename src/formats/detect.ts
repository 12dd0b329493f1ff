/**
 * Which tool laid out a migration directory (or wrote a file), and the files that tool would
 * run, in its order. The first layout whose marker is present wins: Sqitch's plan, Drizzle's
 * journal and Prisma's lock file are unambiguous, as are diesel's `<version>_<name>/up.sql`
 * folders; file names then tell Flyway, popx (a database part: `.postgres.up.sql`) and
 * golang-migrate apart, and the crate's Cargo.toml tells sqlx; dbmate and
 * `alembic upgrade --sql` output are told by their contents.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../core/errors.js';
import { hasDbmateMarkers } from './dbmate.js';
import { dieselFiles, dieselMigrationsDir, isDieselMigration } from './diesel.js';
import { DRIZZLE_JOURNAL, drizzleFiles } from './drizzle.js';
import { flywayFiles, isFlywayName } from './flyway.js';
import { compareVersions, naturalCompare, versionParts } from './order.js';
import { isPopxName, popxFiles, popxLeftOut } from './popx.js';
import { sqitchDeployScripts } from './sqitch.js';
import { inSqlxCrate, sqlxFiles } from './sqlx.js';
import { readSql } from './text.js';

export const LAYOUTS = [
  'plain',
  'flyway',
  'golang-migrate',
  'dbmate',
  'prisma',
  'drizzle',
  'sqitch',
  'alembic',
  'diesel',
  'sqlx',
  'popx',
] as const;
export type Layout = (typeof LAYOUTS)[number];

/** How a path is spelled in the notes. */
export type Show = (path: string) => string;

export interface DetectedLayout {
  layout: Layout;
  /** Files in the order the tool runs them. */
  paths: string[];
  /** Files left out and why, one line a reason (said in the analysis' assumptions). */
  notes: string[];
  /** Texts already read while detecting (path → SQL), so that reading does not read them twice. */
  texts?: ReadonlyMap<string, string>;
}

const GOLANG_MIGRATE = /^(\d+)_.*\.(up|down)\.sql$/;
const DBMATE = /^(\d+).*\.sql$/;
const SQLX = /^\d+_.*\.sql$/;
/**
 * Schema dumps that live beside migrations (Rails' db/structure.sql, schema.sql of sqlc and
 * others): loading one is not a migration, and analysing it would flag every table it creates.
 */
const DUMPS = new Set(['structure.sql', 'schema.sql']);

/** The layout of one file given on its own. */
export function detectFile(path: string, sql: string, show: Show = (p) => p): DetectedLayout {
  const name = basename(path);
  const parent = dirname(path);
  const one = (layout: Layout): DetectedLayout => ({ layout, paths: [path], notes: [] });
  if (hasDbmateMarkers(sql)) return one('dbmate');
  if (isAlembicOutput(sql)) return one('alembic');
  if (isFlywayName(name)) return one('flyway');
  if ((name === 'up.sql' || name === 'down.sql') && isDieselMigration(parent)) return one('diesel');
  // A file without a database part is popx's when its neighbours have one.
  if (isPopxName(name) || (GOLANG_MIGRATE.test(name) && readdirSync(parent).some(isPopxName))) {
    const leftOut = popxLeftOut(show(path));
    return leftOut ? { layout: 'popx', paths: [], notes: [leftOut] } : one('popx');
  }
  if (SQLX.test(name) && inSqlxCrate(parent)) return one('sqlx');
  if (GOLANG_MIGRATE.test(name)) return one('golang-migrate');
  if (name === 'migration.sql' && existsSync(join(dirname(parent), 'migration_lock.toml')))
    return one('prisma');
  if (existsSync(join(parent, DRIZZLE_JOURNAL))) return one('drizzle');
  if (basename(parent) === 'deploy' && existsSync(join(dirname(parent), 'sqitch.plan'))) return one('sqitch');
  return one('plain');
}

/** `show` spells a path in the notes (relative to the working directory when reading). */
export function detectDirectory(dir: string, show: Show = (p) => p): DetectedLayout {
  const found = (layout: Layout, paths: string[], notes: string[] = []): DetectedLayout => ({
    layout,
    paths,
    notes,
  });
  if (existsSync(join(dir, 'sqitch.plan'))) return found('sqitch', sqitchDeployScripts(dir));
  if (basename(dir) === 'deploy' && existsSync(join(dirname(dir), 'sqitch.plan'))) {
    return found('sqitch', sqitchDeployScripts(dirname(dir)));
  }
  if (existsSync(join(dir, DRIZZLE_JOURNAL))) return found('drizzle', drizzleFiles(dir));
  const diesel = dieselMigrationsDir(dir);
  if (diesel !== null && existsSync(diesel)) return detectDirectory(diesel, show);

  // One readdir with types: a stat per entry cost a third of reading a 2,500-file history.
  const dirents = readdirSync(dir, { withFileTypes: true });
  const entries = dirents.map((d) => d.name).sort(naturalCompare);
  const isDir = new Set(
    dirents
      .filter((d) => d.isDirectory() || (d.isSymbolicLink() && statSync(join(dir, d.name)).isDirectory()))
      .map((d) => d.name),
  );
  const subdirs = entries.filter((e) => isDir.has(e));
  const allSql = entries.filter((e) => e.endsWith('.sql') && !isDir.has(e));
  const dumps = allSql.filter((f) => DUMPS.has(f));
  const sqlFiles = allSql.filter((f) => !DUMPS.has(f));
  const dumpNotes = dumps.map((f) => `${show(join(dir, f))} left out: a schema dump, not a migration`);

  // Prisma applies migration directories in name order (a timestamp prefix).
  const prisma = subdirs.filter((d) => existsSync(join(dir, d, 'migration.sql'))).sort(compareText);
  if (prisma.length > 0 || existsSync(join(dir, 'migration_lock.toml'))) {
    return found(
      'prisma',
      prisma.map((d) => join(dir, d, 'migration.sql')),
    );
  }
  if (subdirs.some((d) => isDieselMigration(join(dir, d))))
    return found('diesel', dieselFiles(dir), dumpNotes);
  // A project root: `prisma/migrations`, `drizzle/`, dbmate's `db/migrations`, Flyway's `db/migration`.
  if (sqlFiles.length === 0) {
    const down = ['migrations', 'migration', 'db', 'prisma', 'drizzle'].find((d) => subdirs.includes(d));
    if (down) return detectDirectory(join(dir, down), show);
  }

  // Flyway's names are searched recursively; without one here or a subfolder there is none.
  const flyway = subdirs.length > 0 || entries.some(isFlywayName) ? flywayFiles(dir) : [];
  if (flyway.length > 0) return found('flyway', flyway);
  if (entries.some(isPopxName)) {
    const popx = popxFiles(dir, show);
    return found('popx', popx.paths, popx.notes);
  }
  if (sqlFiles.some((f) => SQLX.test(f)) && inSqlxCrate(dir)) {
    return found('sqlx', sqlxFiles(dir, sqlFiles), dumpNotes);
  }
  if (sqlFiles.some((f) => GOLANG_MIGRATE.test(f) && f.endsWith('.up.sql'))) {
    return found('golang-migrate', golangMigrateFiles(dir, sqlFiles));
  }
  const contents = new Map(sqlFiles.map((f) => [f, readSql(join(dir, f))]));
  if ([...contents.values()].some(hasDbmateMarkers)) {
    // dbmate runs files named <version>….sql in file name order and skips the rest.
    const files = sqlFiles.filter((f) => DBMATE.test(f)).sort(compareText);
    return found(
      'dbmate',
      files.map((f) => join(dir, f)),
    );
  }
  if (sqlFiles.length === 0) {
    const why =
      dumps.length > 0
        ? `${dumps.join(' and ')} ${dumps.length === 1 ? 'is a schema dump, not a migration' : 'are schema dumps, not migrations'}; `
        : '';
    throw new InputError(
      `${dir}: no .sql migrations found (${why}looked for plain, Flyway, golang-migrate, dbmate, Prisma, Drizzle, Sqitch, diesel, sqlx and popx layouts)`,
    );
  }
  const plain = sqlFiles.filter((f) => !f.endsWith('.down.sql'));
  const layout = plain.every((f) => isAlembicOutput(contents.get(f) ?? '')) ? 'alembic' : 'plain';
  return {
    ...found(
      layout,
      plain.map((f) => join(dir, f)),
      dumpNotes,
    ),
    texts: new Map([...contents].map(([f, text]) => [join(dir, f), text])),
  };
}

/**
 * golang-migrate runs `<version>_<title>.up.sql` by numeric version and ignores names it cannot
 * parse (source/iofs); two files of one version are an error (ErrDuplicateMigration).
 */
function golangMigrateFiles(dir: string, sqlFiles: readonly string[]): string[] {
  const ups = sqlFiles
    .map((f) => ({ f, m: GOLANG_MIGRATE.exec(f) }))
    .filter((x) => x.m !== null && x.m[2] === 'up')
    .map((x) => ({ f: x.f, version: versionParts(x.m?.[1] ?? '0') }))
    .sort((a, b) => compareVersions(a.version, b.version));
  ups.forEach((u, i) => {
    const prev = ups[i - 1];
    if (prev && compareVersions(prev.version, u.version) === 0) {
      throw new InputError(`${join(dir, prev.f)} and ${u.f} have the same golang-migrate version`);
    }
  });
  return ups.map((u) => join(dir, u.f));
}

/** Output of `alembic upgrade --sql`: it creates or updates alembic_version. */
export function isAlembicOutput(sql: string): boolean {
  return (
    /^-- Running (upgrade|downgrade) /m.test(sql) ||
    /\b(CREATE TABLE|UPDATE|INSERT INTO) alembic_version\b/.test(sql)
  );
}

/** Byte order, as Go's sort.Strings and Prisma's directory sort compare names. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
