/**
 * Diesel: `migrations/<version>_<name>/up.sql` (+ `down.sql`, optional `metadata.toml`), e.g.
 * `2023-01-01-000000_create_users/` or `00000000000000_diesel_initial_setup/`.
 *
 * - Every subdirectory that is not hidden or empty is a migration, and must hold `up.sql`
 *   (diesel_migrations migrations_internals::migrations_directories, SqlFileMigration::from_path:
 *   UnknownMigrationFormat otherwise). The version is the name up to the first `_`, dashes
 *   removed (version_from_string); pending migrations run in version order compared as text
 *   (MigrationHarness::pending_migrations).
 * - Each migration runs in its own transaction (run_migration → conn.transaction) unless its
 *   `metadata.toml` says `run_in_transaction = false`; then `up.sql` goes to PQexec as one query
 *   (PgConnection::batch_execute), which PostgreSQL runs as one implicit transaction when it holds
 *   several statements, as the FileBasedMigrations documentation warns.
 * - An up.sql of 0 bytes is refused at run time (RunMigrationsError::EmptyMigration).
 *
 * Source read: diesel-rs/diesel, diesel_migrations/src/{file_based_migrations,migration_harness}.rs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TransactionMode } from '../core/analysis.js';
import { InputError } from '../core/errors.js';
import { readSql } from './text.js';

/** `diesel.toml` at a project root can move the migrations (`[migrations_directory] dir = …`). */
export function dieselMigrationsDir(root: string): string | null {
  const config = join(root, 'diesel.toml');
  if (!existsSync(config)) return null;
  let section = '';
  for (const line of readFileSync(config, 'utf8').split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) section = header[1]?.trim() ?? '';
    const dir = /^\s*dir\s*=\s*"([^"]+)"/.exec(line)?.[1];
    if (section === 'migrations_directory' && dir !== undefined) return join(root, dir);
  }
  return join(root, 'migrations');
}

/**
 * Whether a subdirectory is a diesel migration: it holds up.sql, and that up.sql was not written
 * by `schemapilot plan --format sql`, whose files say they are run with psql.
 */
export function isDieselMigration(dir: string): boolean {
  const up = join(dir, 'up.sql');
  return existsSync(up) && !writtenForPsql(readSql(up));
}

/** The header of `schemapilot plan --format sql` output (src/formats/write/plain-sql.ts). */
function writtenForPsql(sql: string): boolean {
  return /^-- Run with: psql\b/m.test(sql.slice(0, 500));
}

/** The up.sql of each migration under `dir`, in the order diesel runs them. */
export function dieselFiles(dir: string): string[] {
  const migrations = readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .map((name) => ({ name, path: join(dir, name) }))
    .filter((m) => statSync(m.path).isDirectory() && readdirSync(m.path).length > 0)
    .map((m) => {
      if (!existsSync(join(m.path, 'up.sql'))) {
        throw new InputError(`${m.path}: no up.sql, and diesel refuses a migrations directory holding it`);
      }
      return { ...m, version: m.name.split('_')[0]?.replace(/-/g, '') ?? '' };
    })
    .sort((a, b) => compareText(a.version, b.version));
  migrations.forEach((m, i) => {
    const prev = migrations[i - 1];
    // diesel keys pending migrations by version: one of the two would silently not run.
    if (prev && prev.version === m.version) {
      throw new InputError(`${prev.path} and ${m.name} have the same diesel version (${m.version})`);
    }
  });
  return migrations.map((m) => join(m.path, 'up.sql'));
}

export interface DieselMode {
  transaction: TransactionMode;
  note: string | null;
}

/** How diesel runs the migration whose up.sql is at `upPath`. */
export function dieselMode(upPath: string, shown: string): DieselMode {
  const metadata = join(dirname(upPath), 'metadata.toml');
  if (!existsSync(metadata)) return { transaction: 'transaction', note: null };
  const m = /^\s*run_in_transaction\s*=\s*(true|false)\s*(#.*)?$/m.exec(readFileSync(metadata, 'utf8'));
  if (m) return { transaction: m[1] === 'true' ? 'transaction' : 'implicit', note: null };
  // The field is `#[serde(default)] bool`: a metadata.toml that does not set it means false.
  return {
    transaction: 'implicit',
    note: `${join(dirname(shown), basename(metadata))} does not set run_in_transaction, which diesel then reads as false: the migration runs without its transaction`,
  };
}

/** Byte order, as Rust compares the version strings. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
