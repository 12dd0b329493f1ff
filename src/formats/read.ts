/**
 * Reading migrations as the tools users run lay them out, and knowing how each tool runs a file
 * (inside a transaction or not), which decides whether CONCURRENTLY is legal and how long locks
 * are held.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { TransactionMode } from '../core/analysis.js';
import { InputError } from '../core/errors.js';
import type { MigrationFile } from '../linter/run.js';
import type { RunnerName } from '../config/types.js';

/** How each runner executes a migration file. */
export const RUNNER_TRANSACTIONS: Record<RunnerName, TransactionMode> = {
  // psql -f and plain SQL: each statement commits on its own unless the file says BEGIN.
  plain: 'none',
  psql: 'none',
  // Flyway runs each migration in a transaction (executeInTransaction=true by default).
  flyway: 'transaction',
  // golang-migrate sends the file as one multi-statement query: one implicit transaction.
  'golang-migrate': 'implicit',
  // dbmate wraps each migration in a transaction unless `-- migrate:up transaction:false`.
  dbmate: 'transaction',
  // Prisma sends migration.sql as one multi-statement script.
  prisma: 'implicit',
  // drizzle-kit's migrator runs pending migrations inside a transaction.
  drizzle: 'transaction',
  // Sqitch runs the deploy script as is; scripts carry their own BEGIN/COMMIT.
  sqitch: 'none',
  // `alembic upgrade --sql` output carries its own BEGIN/COMMIT.
  alembic: 'none',
  'node-pg-migrate': 'transaction',
  knex: 'transaction',
  rails: 'transaction',
  django: 'transaction',
};

export interface ReadOptions {
  runner?: RunnerName | null;
  cwd?: string;
}

export interface ReadResult {
  files: MigrationFile[];
  /** The layout that was recognised, for messages ("flyway", "golang-migrate", …). */
  layout: RunnerName;
}

/** Read one path (file or directory). */
export function readMigrations(path: string, options: ReadOptions = {}): ReadResult {
  const cwd = options.cwd ?? process.cwd();
  if (!existsSync(path)) throw new InputError(`${path}: no such file or directory`);
  const display = (p: string) => relative(cwd, p) || basename(p);
  if (statSync(path).isFile()) {
    const sql = readFileSync(path, 'utf8');
    const layout = options.runner ?? detectFileLayout(path, sql);
    return { layout, files: [toFile(display(path), sql, layout, path)] };
  }
  const detected = detectDirectory(path);
  const layout = options.runner ?? detected.layout;
  return {
    layout,
    files: detected.paths.map((p) => {
      const sql =
        layout === 'drizzle'
          ? readFileSync(p, 'utf8').replace(/--> statement-breakpoint/g, '')
          : readFileSync(p, 'utf8');
      return toFile(display(p), sql, layout, p);
    }),
  };
}

/** SQL given on the command line or stdin. */
export function inlineMigration(
  name: string,
  sql: string,
  runner: RunnerName | null | undefined,
): MigrationFile {
  return toFile(name, sql, runner ?? 'plain', null);
}

function toFile(display: string, rawSql: string, layout: RunnerName, path: string | null): MigrationFile {
  let sql = rawSql;
  let transaction = RUNNER_TRANSACTIONS[layout];
  if (layout === 'dbmate' || /^--\s*migrate:up/m.test(rawSql)) {
    const dbmate = dbmateUp(rawSql);
    sql = dbmate.sql;
    if (!dbmate.transaction) transaction = 'none';
  }
  if (layout === 'flyway' && path && flywayNoTransaction(path)) transaction = 'none';
  return { path: display, sql, transaction };
}

function detectFileLayout(path: string, sql: string): RunnerName {
  if (/^--\s*migrate:up/m.test(sql)) return 'dbmate';
  if (/--\s*Running upgrade|CREATE TABLE alembic_version/i.test(sql)) return 'alembic';
  if (/(^|\/)V\d+(?:[._]\d+)*__[^/]+\.sql$/.test(path)) return 'flyway';
  if (/\.up\.sql$/.test(path)) return 'golang-migrate';
  return 'plain';
}

interface DirectoryLayout {
  layout: RunnerName;
  paths: string[];
}

function detectDirectory(dir: string): DirectoryLayout {
  const entries = readdirSync(dir);
  const sqlFiles = entries.filter((e) => e.endsWith('.sql')).sort(naturalCompare);
  const subdirs = entries.filter((e) => statSync(join(dir, e)).isDirectory()).sort(naturalCompare);

  if (existsSync(join(dir, 'sqitch.plan')) && existsSync(join(dir, 'deploy'))) {
    return { layout: 'sqitch', paths: sqitchOrder(dir) };
  }
  if (existsSync(join(dir, 'meta', '_journal.json'))) {
    return { layout: 'drizzle', paths: drizzleOrder(dir, sqlFiles) };
  }
  const prisma = subdirs.filter((d) => existsSync(join(dir, d, 'migration.sql')));
  if (prisma.length > 0) return { layout: 'prisma', paths: prisma.map((d) => join(dir, d, 'migration.sql')) };
  if (existsSync(join(dir, 'migrations')) && statSync(join(dir, 'migrations')).isDirectory()) {
    return detectDirectory(join(dir, 'migrations'));
  }

  const flyway = sqlFiles.filter((f) => /^V\d+(?:[._]\d+)*__.+\.sql$/.test(f));
  if (flyway.length > 0) {
    const version = (f: string) => (/^V([\d._]+)__/.exec(f)?.[1] ?? '0').split(/[._]/).map(Number);
    flyway.sort((a, b) => compareVersions(version(a), version(b)));
    return { layout: 'flyway', paths: flyway.map((f) => join(dir, f)) };
  }
  const up = sqlFiles.filter((f) => f.endsWith('.up.sql'));
  if (up.length > 0) return { layout: 'golang-migrate', paths: up.map((f) => join(dir, f)) };
  if (sqlFiles.some((f) => /^--\s*migrate:up/m.test(readFileSync(join(dir, f), 'utf8')))) {
    return { layout: 'dbmate', paths: sqlFiles.map((f) => join(dir, f)) };
  }
  if (sqlFiles.length === 0)
    throw new InputError(
      `${dir}: no .sql migrations found (looked for plain, Flyway, golang-migrate, dbmate, Prisma, Drizzle and Sqitch layouts)`,
    );
  return {
    layout: 'plain',
    paths: sqlFiles.filter((f) => !f.endsWith('.down.sql')).map((f) => join(dir, f)),
  };
}

/**
 * The up section of a dbmate file, with everything else blanked to spaces so that line and
 * column numbers still point into the real file.
 */
export function dbmateUp(sql: string): { sql: string; transaction: boolean } {
  const up = /^--\s*migrate:up\b([^\n]*)$/m.exec(sql);
  if (!up) return { sql, transaction: true };
  const start = up.index + up[0].length;
  const down = /^--\s*migrate:down\b/m.exec(sql.slice(start));
  const end = down ? start + down.index : sql.length;
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return {
    sql: blank(sql.slice(0, start)) + sql.slice(start, end) + blank(sql.slice(end)),
    transaction: !/transaction:\s*false/.test(up[1] ?? ''),
  };
}

function flywayNoTransaction(path: string): boolean {
  const conf = `${path}.conf`;
  return existsSync(conf) && /executeInTransaction\s*=\s*false/.test(readFileSync(conf, 'utf8'));
}

function drizzleOrder(dir: string, sqlFiles: string[]): string[] {
  try {
    const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as {
      entries?: { idx: number; tag: string }[];
    };
    const tags = (journal.entries ?? []).sort((a, b) => a.idx - b.idx).map((e) => `${e.tag}.sql`);
    const known = tags.filter((t) => sqlFiles.includes(t));
    if (known.length > 0) return known.map((f) => join(dir, f));
  } catch {
    throw new InputError(`${join(dir, 'meta', '_journal.json')}: not valid JSON`);
  }
  return sqlFiles.map((f) => join(dir, f));
}

function sqitchOrder(dir: string): string[] {
  const plan = readFileSync(join(dir, 'sqitch.plan'), 'utf8');
  const names = plan
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('%') && !l.startsWith('#') && !l.startsWith('@'))
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
  return names.map((n) => join(dir, 'deploy', `${n}.sql`)).filter((p) => existsSync(p));
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `2_x.sql` before `10_x.sql`. */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
