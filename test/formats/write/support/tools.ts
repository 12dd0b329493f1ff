/**
 * The real migration tools that are npm packages (dev dependencies), plus psql for the plain
 * SQL format. Each runs in a child process exactly as a user would run it; its output goes into
 * the failure message.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from './harness.js';
import { mustRun, REPO_ROOT } from './run.js';

const DBMATE = join(REPO_ROOT, 'node_modules/.bin/dbmate');
const NODE_PG_MIGRATE = join(REPO_ROOT, 'node_modules/node-pg-migrate/bin/node-pg-migrate.js');
const KNEX_MIGRATE = join(REPO_ROOT, 'test/formats/write/support/knex-migrate.ts');

/** dbmate speaks lib/pq, which asks for TLS unless told otherwise; the test servers have none. */
function dbmateUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.set('sslmode', 'disable');
  return u.toString();
}

export const dbmate: Runner = {
  format: 'dbmate',
  bookkeeping: ['schema_migrations'],
  async up(dir, url) {
    const args = ['--url', dbmateUrl(url), '--migrations-dir', dir, '--no-dump-schema'];
    // cwd = the migrations folder, so that no .env of this repository is read.
    await mustRun(DBMATE, [...args, 'up'], { cwd: dir });
  },
  async down(dir, url, count) {
    const args = ['--url', dbmateUrl(url), '--migrations-dir', dir, '--no-dump-schema'];
    for (let i = 0; i < count; i++) await mustRun(DBMATE, [...args, 'rollback'], { cwd: dir });
  },
};

/** node-pg-migrate's CLI with its defaults (one transaction for the run, advisory lock). */
export const nodePgMigrate: Runner = {
  format: 'node-pg-migrate',
  bookkeeping: ['pgmigrations'],
  async up(dir, url) {
    await mustRun(process.execPath, ['--import', 'tsx', NODE_PG_MIGRATE, 'up', '-m', dir], {
      env: { DATABASE_URL: url },
    });
  },
  async down(dir, url, count) {
    await mustRun(process.execPath, ['--import', 'tsx', NODE_PG_MIGRATE, 'down', String(count), '-m', dir], {
      env: { DATABASE_URL: url },
    });
  },
};

export const knex: Runner = {
  format: 'knex',
  bookkeeping: ['knex_migrations', 'knex_migrations_lock'],
  async up(dir, url) {
    await mustRun(process.execPath, ['--import', 'tsx', KNEX_MIGRATE, url, dir, 'latest']);
  },
  async down(dir, url) {
    await mustRun(process.execPath, ['--import', 'tsx', KNEX_MIGRATE, url, dir, 'rollback']);
  },
};

/** psql in autocommit mode, as up.sql's first lines say: `psql -v ON_ERROR_STOP=1 -f up.sql`. */
export const psql: Runner = {
  format: 'sql',
  bookkeeping: [],
  up: async (dir, url) => runPsql(dir, url, 'up.sql'),
  down: async (dir, url) => runPsql(dir, url, 'down.sql'),
};

/** The plain SQL writer puts up.sql and down.sql in one `<version>_<name>/` folder. */
async function runPsql(dir: string, url: string, file: string): Promise<void> {
  const [folder] = await readdir(dir);
  if (!folder) throw new Error(`nothing written in ${dir}`);
  await mustRun('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', join(dir, folder, file), url]);
}
