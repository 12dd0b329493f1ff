/**
 * Flyway (Java), golang-migrate (Go), Prisma Migrate (engines downloaded at run time) and
 * Alembic (Python packages) cannot be installed here. These runners SIMULATE how each tool
 * executes the written files, on a real server, so that a statement placed where the tool
 * would wrap it in a transaction fails the way it would ("cannot run inside a transaction
 * block", "invalid transaction termination"). What each model rests on:
 *
 * - Flyway runs each versioned migration in its own transaction, statement by statement, unless
 *   its `<file>.conf` says `executeInTransaction=false`; then the statements run one by one in
 *   autocommit. `flyway undo` runs U files, the latest version first.
 *   https://documentation.red-gate.com/fd/script-configuration-195890864.html
 *   https://documentation.red-gate.com/fd/flyway-execute-in-transaction-setting-277578997.html
 *   Placeholder replacement is assumed off (`-placeholderReplacement=false`, as the README asks):
 *   with it on, Flyway rejects the `${x}` of the hostile plan.
 * - golang-migrate's postgres driver sends a whole file as one query (no x-multi-statement),
 *   which PostgreSQL runs as one implicit transaction.
 *   https://github.com/golang-migrate/migrate/tree/master/database/postgres
 * - Prisma Migrate sends each migration.sql as one script, folders in name order; `prisma db
 *   execute --file` runs a rollback file the same way.
 *   https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations
 * - Alembic runs upgrade() inside one transaction (env.py's begin_transaction()); an
 *   autocommit_block() commits it, runs its operations in autocommit, then begins a new one.
 *   op.execute("…") goes through SQLAlchemy's text() (see extract.ts).
 *   https://alembic.sqlalchemy.org/en/latest/api/runtime.html#alembic.runtime.migration.MigrationContext.autocommit_block
 *
 * node-pg's `client.query(text)` without parameters uses the simple query protocol, which is
 * what these tools' drivers (lib/pq, tokio-postgres batch_execute) do with a script.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { loadPostgresParser, parsePostgres } from '../../../../src/dialects/postgres/parser.js';
import { alembicOperations, sqlalchemyText, type AlembicOperation } from './extract.js';
import type { Runner } from './harness.js';

async function withConnection(url: string, fn: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function inTransaction(client: pg.Client, statements: readonly string[]): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const sql of statements) await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Flyway's version of `V1.2_3__name.sql`: its parts compared as numbers. */
function flywayVersion(name: string): bigint[] {
  const version = /^[VU]([^_]+(?:_[^_]+)*?)__/.exec(name)?.[1] ?? '';
  return version.split(/[._]/).map((part) => BigInt(part));
}

function compareVersions(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

async function runFlywayFiles(dir: string, url: string, names: readonly string[]): Promise<void> {
  await loadPostgresParser();
  await withConnection(url, async (client) => {
    for (const name of names) {
      const path = join(dir, name);
      const conf = existsSync(`${path}.conf`) ? await readFile(`${path}.conf`, 'utf8') : '';
      // Flyway parses the file into statements itself; PostgreSQL's own parser splits the same.
      const statements = parsePostgres(await readFile(path, 'utf8'), name).statements.map((s) => s.sql);
      try {
        if (/^\s*executeInTransaction\s*=\s*false\s*$/m.test(conf)) {
          for (const sql of statements) await client.query(sql);
        } else await inTransaction(client, statements);
      } catch (error) {
        throw new Error(`flyway (simulated): ${name}: ${(error as Error).message}`, { cause: error });
      }
    }
  });
}

async function flywayFiles(dir: string, prefix: 'V' | 'U'): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.startsWith(prefix) && n.endsWith('.sql'));
  return names.sort((a, b) => compareVersions(flywayVersion(a), flywayVersion(b)));
}

export const flyway: Runner = {
  format: 'flyway',
  bookkeeping: [],
  up: async (dir, url) => runFlywayFiles(dir, url, await flywayFiles(dir, 'V')),
  // `flyway undo` undoes the latest applied version; run once per step.
  down: async (dir, url, count) =>
    runFlywayFiles(dir, url, (await flywayFiles(dir, 'U')).reverse().slice(0, count)),
};

/** Each file sent as one query string, in the given order. */
async function runScripts(tool: string, url: string, paths: readonly string[]): Promise<void> {
  await withConnection(url, async (client) => {
    for (const path of paths) {
      try {
        await client.query(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`${tool} (simulated): ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
  });
}

/** golang-migrate orders files by the number before the first `_`. */
async function golangFiles(dir: string, suffix: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(suffix));
  const version = (n: string) => BigInt(/^(\d+)_/.exec(n)?.[1] ?? '0');
  return names
    .sort((a, b) => (version(a) < version(b) ? -1 : version(a) > version(b) ? 1 : 0))
    .map((n) => join(dir, n));
}

export const golangMigrate: Runner = {
  format: 'golang-migrate',
  bookkeeping: [],
  up: async (dir, url) => runScripts('golang-migrate', url, await golangFiles(dir, '.up.sql')),
  down: async (dir, url, count) =>
    runScripts('golang-migrate', url, (await golangFiles(dir, '.down.sql')).reverse().slice(0, count)),
};

export const prisma: Runner = {
  format: 'prisma',
  bookkeeping: [],
  async up(dir, url) {
    const folders = (await readdir(join(dir, 'migrations'))).sort();
    await runScripts(
      'prisma',
      url,
      folders.map((f) => join(dir, 'migrations', f, 'migration.sql')),
    );
  },
  async down(dir, url, count) {
    const files = (await readdir(join(dir, 'rollback'))).sort().reverse().slice(0, count);
    await runScripts(
      'prisma',
      url,
      files.map((f) => join(dir, 'rollback', f)),
    );
  },
};

/** Alembic's run of upgrade() or downgrade(): one transaction, committed around each autocommit block. */
async function runAlembic(url: string, operations: readonly AlembicOperation[]): Promise<void> {
  await withConnection(url, async (client) => {
    await client.query('BEGIN');
    let block: number | null = null;
    for (const op of operations) {
      if (op.block !== block) {
        // Leaving a block begins a transaction again; entering one commits the current one.
        if (block !== null) await client.query('BEGIN');
        if (op.block !== null) await client.query('COMMIT');
        block = op.block;
      }
      try {
        await client.query(sqlalchemyText(op.sql));
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`alembic (simulated): ${op.sql}: ${(error as Error).message}`, { cause: error });
      }
    }
    if (block !== null) await client.query('BEGIN');
    // Alembic updates alembic_version here, then commits.
    await client.query('COMMIT');
  });
}

async function revisionFile(dir: string): Promise<string> {
  const [file] = (await readdir(dir)).filter((n) => n.endsWith('.py'));
  if (!file) throw new Error(`no revision file in ${dir}`);
  return join(dir, file);
}

export const alembic: Runner = {
  format: 'alembic',
  bookkeeping: [],
  up: async (dir, url) => runAlembic(url, (await alembicOperations(await revisionFile(dir))).upgrade),
  down: async (dir, url) => runAlembic(url, (await alembicOperations(await revisionFile(dir))).downgrade),
};
