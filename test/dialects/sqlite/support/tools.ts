/**
 * The migration tools that run SQLite plans, each running a directory of written files on a
 * database file the way it does for users. Real where the tool is here: the sqlite3 shell (plain
 * SQL), dbmate (its npm binary speaks SQLite), Knex (with better-sqlite3). Simulated, from the
 * tools' own code, where it is not:
 * - Prisma: the schema engine sends each migration.sql to rusqlite's execute_batch, in no
 *   transaction of its own (prisma-engines sql-schema-connector/src/flavour/sqlite/connection.rs);
 *   better-sqlite3's exec is the same sqlite3_exec loop. `prisma db execute --file` runs a
 *   rollback file the same way.
 * - golang-migrate (sqlite3 and sqlite drivers): each file inside a transaction of the driver's
 *   unless the URL says x-no-tx-wrap=true, then as it is (database/sqlite3/sqlite3.go).
 * - drizzle-orm's migrate(): the journal's entries in order, every pending one inside ONE
 *   BEGIN … COMMIT, each chunk between `--> statement-breakpoint` markers prepared and run on its
 *   own, a row in __drizzle_migrations per migration, ROLLBACK on any error
 *   (drizzle-orm src/sqlite-core/dialect.ts, SQLiteSyncDialect.migrate; migrator.ts readMigrationFiles).
 * Each simulation opens its own connection, as the tool does: better-sqlite3's connections start
 * with foreign_keys ON (it is built with SQLITE_DEFAULT_FOREIGN_KEYS=1), the harder case.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mustRun, REPO_ROOT, runTool, describeRun } from '../../../formats/write/support/run.js';

export interface SqliteRunner {
  format: string;
  /** Tables the tool keeps its history in, left out of comparisons. */
  bookkeeping: string[];
  up(dir: string, file: string): Promise<void>;
  /** Undo the last `count` migrations, last first. */
  down(dir: string, file: string, count: number): Promise<void>;
}

const DBMATE = join(REPO_ROOT, 'node_modules/.bin/dbmate');
const KNEX_MIGRATE = join(REPO_ROOT, 'test/formats/write/support/knex-migrate.ts');

async function sqlite3Shell(file: string, script: string): Promise<void> {
  const r = await runTool('sqlite3', ['-bail', file, `.read ${script}`]);
  if (r.code !== 0 || r.stderr.trim() !== '') throw new Error(describeRun(r));
}

async function sorted(dir: string, suffix: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith(suffix)).sort();
}

export const sqlite3: SqliteRunner = {
  format: 'sql',
  bookkeeping: [],
  async up(dir, file) {
    const [folder] = await readdir(dir);
    await sqlite3Shell(file, join(dir, folder ?? '', 'up.sql'));
  },
  async down(dir, file) {
    const [folder] = await readdir(dir);
    await sqlite3Shell(file, join(dir, folder ?? '', 'down.sql'));
  },
};

export const dbmate: SqliteRunner = {
  format: 'dbmate',
  bookkeeping: ['schema_migrations'],
  async up(dir, file) {
    await mustRun(DBMATE, ['--url', `sqlite:${file}`, '--migrations-dir', dir, '--no-dump-schema', 'up'], {
      cwd: dir,
    });
  },
  async down(dir, file, count) {
    for (let i = 0; i < count; i++)
      await mustRun(
        DBMATE,
        ['--url', `sqlite:${file}`, '--migrations-dir', dir, '--no-dump-schema', 'rollback'],
        {
          cwd: dir,
        },
      );
  },
};

export const knex: SqliteRunner = {
  format: 'knex',
  bookkeeping: ['knex_migrations', 'knex_migrations_lock'],
  async up(dir, file) {
    await mustRun(process.execPath, ['--import', 'tsx', KNEX_MIGRATE, `sqlite:${file}`, dir, 'latest']);
  },
  async down(dir, file) {
    await mustRun(process.execPath, ['--import', 'tsx', KNEX_MIGRATE, `sqlite:${file}`, dir, 'rollback']);
  },
};

/** One connection for the run, closed at the end whatever happened (an open transaction rolls back). */
async function withConnection(file: string, run: (db: Database.Database) => Promise<void>): Promise<void> {
  const db = new Database(file);
  try {
    await run(db);
  } finally {
    db.close();
  }
}

async function execEach(tool: string, file: string, paths: readonly string[]): Promise<void> {
  await withConnection(file, async (db) => {
    for (const path of paths) {
      try {
        db.exec(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`${tool} (simulated): ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
  });
}

export const prisma: SqliteRunner = {
  format: 'prisma',
  bookkeeping: [],
  async up(dir, file) {
    const folders = (await readdir(join(dir, 'migrations'))).sort();
    await execEach(
      'prisma',
      file,
      folders.map((f) => join(dir, 'migrations', f, 'migration.sql')),
    );
  },
  async down(dir, file, count) {
    const files = (await sorted(join(dir, 'rollback'), '.sql')).reverse().slice(0, count);
    await execEach(
      'prisma',
      file,
      files.map((f) => join(dir, 'rollback', f)),
    );
  },
};

/** golang-migrate's SQLite drivers: each file in the driver's own transaction unless x-no-tx-wrap=true. */
export function golangMigrate(noTxWrap: boolean): SqliteRunner {
  const run = async (file: string, paths: readonly string[]) =>
    withConnection(file, async (db) => {
      for (const path of paths) {
        const sql = await readFile(path, 'utf8');
        try {
          if (noTxWrap) db.exec(sql);
          else db.transaction(() => db.exec(sql))();
        } catch (error) {
          throw new Error(`golang-migrate (simulated): ${path}: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
    });
  return {
    format: 'golang-migrate',
    bookkeeping: [],
    up: async (dir, file) =>
      run(
        file,
        (await sorted(dir, '.up.sql')).map((n) => join(dir, n)),
      ),
    down: async (dir, file, count) =>
      run(
        file,
        (await sorted(dir, '.down.sql'))
          .reverse()
          .slice(0, count)
          .map((n) => join(dir, n)),
      ),
  };
}

/**
 * drizzle-orm's migrate() on a connection whose foreign_keys the application set (`foreignKeys`:
 * the connection's setting while migrate() runs; the application turns it back ON after).
 */
export function drizzle(foreignKeys: 'ON' | 'OFF'): SqliteRunner {
  return {
    format: 'drizzle',
    bookkeeping: ['__drizzle_migrations'],
    async up(dir, file) {
      const journal = JSON.parse(await readFile(join(dir, 'meta', '_journal.json'), 'utf8')) as {
        entries: { idx: number; tag: string; when: number }[];
      };
      const migrations = await Promise.all(
        [...journal.entries]
          .sort((a, b) => a.idx - b.idx)
          .map(async (e) => ({
            ...e,
            chunks: (await readFile(join(dir, `${e.tag}.sql`), 'utf8')).split('--> statement-breakpoint'),
          })),
      );
      await withConnection(file, async (db) => {
        db.pragma(`foreign_keys = ${foreignKeys}`);
        db.exec(
          'CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
        );
        db.exec('BEGIN');
        try {
          for (const m of migrations) {
            for (const chunk of m.chunks) db.prepare(chunk).run();
            db.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)').run(
              m.tag,
              m.when,
            );
          }
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          throw new Error(`drizzle (simulated): ${(error as Error).message}`, { cause: error });
        } finally {
          db.pragma('foreign_keys = ON');
        }
      });
    },
    // Drizzle has no down migrations: the written rollback files, run with the sqlite3 shell.
    async down(dir, file, count) {
      for (const name of (await sorted(join(dir, 'rollback'), '.sql')).reverse().slice(0, count))
        await sqlite3Shell(file, join(dir, 'rollback', name));
    },
  };
}
