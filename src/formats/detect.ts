/**
 * Which tool laid out a migration directory (or wrote a file), and the files that tool would
 * run, in its order. The first layout whose marker is present wins: Sqitch's plan, Drizzle's
 * journal and Prisma's lock file are unambiguous; file names then tell Flyway and
 * golang-migrate apart; dbmate and `alembic upgrade --sql` output are told by their contents.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../core/errors.js';
import { hasDbmateMarkers } from './dbmate.js';
import { DRIZZLE_JOURNAL, drizzleFiles } from './drizzle.js';
import { flywayFiles, isFlywayName } from './flyway.js';
import { compareVersions, naturalCompare, versionParts } from './order.js';
import { sqitchDeployScripts } from './sqitch.js';
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
] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface DetectedLayout {
  layout: Layout;
  /** Files in the order the tool runs them. */
  paths: string[];
}

const GOLANG_MIGRATE = /^(\d+)_.*\.(up|down)\.sql$/;
const DBMATE = /^(\d+).*\.sql$/;

export function detectFile(path: string, sql: string): Layout {
  const name = basename(path);
  const parent = dirname(path);
  if (hasDbmateMarkers(sql)) return 'dbmate';
  if (isAlembicOutput(sql)) return 'alembic';
  if (isFlywayName(name)) return 'flyway';
  if (GOLANG_MIGRATE.test(name)) return 'golang-migrate';
  if (name === 'migration.sql' && existsSync(join(dirname(parent), 'migration_lock.toml'))) return 'prisma';
  if (existsSync(join(parent, DRIZZLE_JOURNAL))) return 'drizzle';
  if (basename(parent) === 'deploy' && existsSync(join(dirname(parent), 'sqitch.plan'))) return 'sqitch';
  return 'plain';
}

export function detectDirectory(dir: string): DetectedLayout {
  if (existsSync(join(dir, 'sqitch.plan'))) return { layout: 'sqitch', paths: sqitchDeployScripts(dir) };
  if (basename(dir) === 'deploy' && existsSync(join(dirname(dir), 'sqitch.plan'))) {
    return { layout: 'sqitch', paths: sqitchDeployScripts(dirname(dir)) };
  }
  if (existsSync(join(dir, DRIZZLE_JOURNAL))) return { layout: 'drizzle', paths: drizzleFiles(dir) };

  const entries = readdirSync(dir).sort(naturalCompare);
  const subdirs = entries.filter((e) => statSync(join(dir, e)).isDirectory());
  const sqlFiles = entries.filter((e) => e.endsWith('.sql') && !subdirs.includes(e));

  // Prisma applies migration directories in name order (a timestamp prefix).
  const prisma = subdirs.filter((d) => existsSync(join(dir, d, 'migration.sql'))).sort(compareText);
  if (prisma.length > 0 || existsSync(join(dir, 'migration_lock.toml'))) {
    return { layout: 'prisma', paths: prisma.map((d) => join(dir, d, 'migration.sql')) };
  }
  // A project root: `prisma/migrations`, `drizzle/`, dbmate's `db/migrations`, Flyway's `db/migration`.
  if (sqlFiles.length === 0) {
    const down = ['migrations', 'migration', 'db', 'prisma', 'drizzle'].find((d) => subdirs.includes(d));
    if (down) return detectDirectory(join(dir, down));
  }

  const flyway = flywayFiles(dir);
  if (flyway.length > 0) return { layout: 'flyway', paths: flyway };
  if (sqlFiles.some((f) => GOLANG_MIGRATE.test(f) && f.endsWith('.up.sql'))) {
    return { layout: 'golang-migrate', paths: golangMigrateFiles(dir, sqlFiles) };
  }
  const contents = new Map(sqlFiles.map((f) => [f, readSql(join(dir, f))]));
  if ([...contents.values()].some(hasDbmateMarkers)) {
    // dbmate runs files named <version>….sql in file name order and skips the rest.
    const files = sqlFiles.filter((f) => DBMATE.test(f)).sort(compareText);
    return { layout: 'dbmate', paths: files.map((f) => join(dir, f)) };
  }
  if (sqlFiles.length === 0) {
    throw new InputError(
      `${dir}: no .sql migrations found (looked for plain, Flyway, golang-migrate, dbmate, Prisma, Drizzle and Sqitch layouts)`,
    );
  }
  const plain = sqlFiles.filter((f) => !f.endsWith('.down.sql'));
  const layout = plain.every((f) => isAlembicOutput(contents.get(f) ?? '')) ? 'alembic' : 'plain';
  return { layout, paths: plain.map((f) => join(dir, f)) };
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
