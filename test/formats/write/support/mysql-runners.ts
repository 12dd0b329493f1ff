/**
 * The migration tools on MySQL/MariaDB: dbmate and Knex run for real (npm packages), the plain
 * SQL files by the mariadb client, and Flyway, golang-migrate and Prisma simulated the way their
 * MySQL drivers run a file, on the real server:
 * - Flyway splits a file into statements and runs them in one transaction (MySQL commits around
 *   each DDL statement anyway), or one by one with `executeInTransaction=false`;
 *   https://documentation.red-gate.com/fd/mysql-184127601.html
 * - golang-migrate's mysql driver sends a whole file as one multi-statement query
 *   (multiStatements=true); https://github.com/golang-migrate/migrate/tree/master/database/mysql
 * - Prisma Migrate sends migration.sql as one script; `prisma db execute --file` the rollbacks.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { splitMysql } from '../../../../src/dialects/mysql/split.js';
import type { Runner } from './harness.js';
import { mustRun, REPO_ROOT } from './run.js';
import { namesIn } from './files.js';

const DBMATE = join(REPO_ROOT, 'node_modules/.bin/dbmate');
const KNEX_MIGRATE = join(REPO_ROOT, 'test/formats/write/support/knex-migrate.ts');

async function withConnection(url: string, fn: (c: mysql.Connection) => Promise<void>): Promise<void> {
  const connection = await mysql.createConnection({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    multipleStatements: true,
  });
  try {
    await fn(connection);
  } finally {
    await connection.end();
  }
}

export const dbmate: Runner = {
  format: 'dbmate',
  bookkeeping: ['schema_migrations'],
  async up(dir, url) {
    await mustRun(DBMATE, ['--url', url, '--migrations-dir', dir, '--no-dump-schema', 'up'], { cwd: dir });
  },
  async down(dir, url, count) {
    const args = ['--url', url, '--migrations-dir', dir, '--no-dump-schema', 'rollback'];
    for (let i = 0; i < count; i++) await mustRun(DBMATE, args, { cwd: dir });
  },
};

export const knex: Runner = {
  format: 'knex',
  bookkeeping: ['knex_migrations', 'knex_migrations_lock'],
  up: async (dir, url) =>
    void (await mustRun(process.execPath, ['--import', 'tsx', KNEX_MIGRATE, url, dir, 'latest'])),
  down: async (dir, url) =>
    void (await mustRun(process.execPath, ['--import', 'tsx', KNEX_MIGRATE, url, dir, 'rollback'])),
};

/** `mariadb <database> < file`: the client stops at the first error. */
async function runClient(dir: string, url: string, file: string): Promise<void> {
  const [folder] = await readdir(dir);
  if (!folder) throw new Error(`nothing written in ${dir}`);
  const u = new URL(url);
  const args = [
    '-h',
    u.hostname,
    '-P',
    u.port || '3306',
    '-u',
    decodeURIComponent(u.username),
    u.pathname.slice(1),
  ];
  await mustRun('sh', ['-c', `mariadb "$@" < ${JSON.stringify(join(dir, folder, file))}`, 'sh', ...args]);
}

export const mariadbClient: Runner = {
  format: 'sql',
  bookkeeping: [],
  up: (dir, url) => runClient(dir, url, 'up.sql'),
  down: (dir, url) => runClient(dir, url, 'down.sql'),
};

async function flywayRun(dir: string, url: string, names: readonly string[]): Promise<void> {
  await withConnection(url, async (c) => {
    for (const name of names) {
      const path = join(dir, name);
      const text = await readFile(path, 'utf8');
      const statements = splitMysql(text).statements.map((s) => text.slice(s.start, s.end));
      const conf = existsSync(`${path}.conf`) ? await readFile(`${path}.conf`, 'utf8') : '';
      const inTransaction = !/^\s*executeInTransaction\s*=\s*false\s*$/m.test(conf);
      try {
        if (inTransaction) await c.query('START TRANSACTION');
        for (const sql of statements) await c.query(sql);
        if (inTransaction) await c.query('COMMIT');
      } catch (error) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw new Error(`flyway (simulated): ${name}: ${(error as Error).message}`, { cause: error });
      }
    }
  });
}

export const flyway: Runner = {
  format: 'flyway',
  bookkeeping: [],
  up: async (dir, url) =>
    flywayRun(dir, url, await namesIn(dir, '.sql').then((n) => n.filter((x) => x.startsWith('V')))),
  down: async (dir, url, count) =>
    flywayRun(
      dir,
      url,
      (await namesIn(dir, '.sql'))
        .filter((x) => x.startsWith('U'))
        .reverse()
        .slice(0, count),
    ),
};

/** Each file as one multi-statement query, in order. */
async function scripts(tool: string, url: string, paths: readonly string[]): Promise<void> {
  await withConnection(url, async (c) => {
    for (const path of paths) {
      try {
        await c.query(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`${tool} (simulated): ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
  });
}

export const golangMigrate: Runner = {
  format: 'golang-migrate',
  bookkeeping: [],
  up: async (dir, url) =>
    scripts(
      'golang-migrate',
      url,
      (await namesIn(dir, '.up.sql')).map((n) => join(dir, n)),
    ),
  down: async (dir, url, count) =>
    scripts(
      'golang-migrate',
      url,
      (await namesIn(dir, '.down.sql'))
        .reverse()
        .slice(0, count)
        .map((n) => join(dir, n)),
    ),
};

export const prisma: Runner = {
  format: 'prisma',
  bookkeeping: [],
  up: async (dir, url) =>
    scripts(
      'prisma',
      url,
      (await readdir(join(dir, 'migrations'))).sort().map((f) => join(dir, 'migrations', f, 'migration.sql')),
    ),
  down: async (dir, url, count) =>
    scripts(
      'prisma',
      url,
      (await readdir(join(dir, 'rollback')))
        .sort()
        .reverse()
        .slice(0, count)
        .map((f) => join(dir, 'rollback', f)),
    ),
};
