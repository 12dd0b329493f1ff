/**
 * Putting a schema on a scratch database: from a snapshot (snapshotDdl), from `pg_dump
 * --schema-only` of the live database, or by replaying a migrations directory. Also runs a
 * migration exactly as written, which is how the intent check learns what the author meant.
 */
import { spawnSync } from 'node:child_process';
import type pg from 'pg';
import { InputError } from '../core/errors.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { connectPostgres } from '../dialects/postgres/connect.js';
import { inspectPostgres } from '../dialects/postgres/introspect.js';
import { loadPostgresParser, parsePostgres } from '../dialects/postgres/parser.js';
import type { MigrationFile } from '../linter/run.js';
import { snapshotDdl } from './clone.js';
import type { ScratchServer } from './scratch.js';

export type SchemaSource =
  | { kind: 'snapshot'; snapshot: SchemaSnapshot }
  | { kind: 'pg-dump'; url: string; snapshot: SchemaSnapshot }
  | { kind: 'migrations'; files: readonly MigrationFile[] };

export interface LoadReport {
  /** How the schema got there: `snapshot`, `pg_dump 15.4`, `3 migration files`. */
  method: string;
  /** Objects that could not be recreated (an extension the scratch server lacks, …). */
  warnings: string[];
}

export async function loadSchema(client: pg.Client, source: SchemaSource): Promise<LoadReport> {
  if (source.kind === 'migrations') {
    const failure = await runAsWritten(client, source.files);
    if (failure) throw new Error(`replaying the migrations failed: ${failure.file}: ${failure.message}`);
    return { method: `${source.files.length} migration file(s)`, warnings: [] };
  }
  if (source.kind === 'pg-dump') {
    const dump = pgDumpSchema(source.url, Math.floor(source.snapshot.serverVersionNum / 10000));
    if ('sql' in dump) {
      try {
        await client.query(dump.sql);
        // pg_dump empties search_path for the session; later statements here rely on the default.
        await client.query('RESET search_path');
        return { method: dump.method, warnings: [] };
      } catch (error) {
        await client.query('RESET search_path').catch(() => undefined);
        const report = await cloneInto(client, source.snapshot);
        report.warnings.unshift(
          `pg_dump's schema did not load (${(error as Error).message}); cloned from the snapshot instead`,
        );
        return report;
      }
    }
    const report = await cloneInto(client, source.snapshot);
    report.warnings.unshift(`${dump.unavailable}; cloned from the snapshot instead`);
    return report;
  }
  return cloneInto(client, source.snapshot);
}

/**
 * Recreate a snapshot statement by statement. A statement that fails (most often an extension
 * the scratch server does not ship) is reported, not fatal: the rest of the schema is still
 * worth validating against, and the report says what is missing.
 */
export async function cloneInto(client: pg.Client, snapshot: SchemaSnapshot): Promise<LoadReport> {
  const warnings: string[] = [];
  await client.query('BEGIN');
  await client.query('SET LOCAL check_function_bodies = off');
  for (const statement of snapshotDdl(snapshot)) {
    try {
      await client.query('SAVEPOINT clone_statement');
      await client.query(statement.sql);
      await client.query('RELEASE SAVEPOINT clone_statement');
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT clone_statement').catch(() => undefined);
      warnings.push(`could not recreate ${statement.object}: ${(error as Error).message}`);
    }
  }
  await client.query('COMMIT');
  return { method: 'snapshot', warnings };
}

/**
 * `pg_dump --schema-only` of the live database, when a pg_dump at least as new as the server is
 * on PATH (an older one refuses to dump a newer server). The password goes through the
 * environment, not the command line, where `ps` would show it.
 */
export function pgDumpSchema(
  url: string,
  serverMajor: number,
): { sql: string; method: string } | { unavailable: string } {
  const version = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { unavailable: 'pg_dump is not on PATH' };
  const match = /(\d+)(?:\.(\d+))?/.exec(version.stdout);
  const major = Number(match?.[1] ?? 0);
  if (major < serverMajor)
    return { unavailable: `pg_dump ${major} is older than the server (PostgreSQL ${serverMajor})` };
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const dump = spawnSync(
    'pg_dump',
    ['--schema-only', '--no-owner', '--no-privileges', '--no-comments', `--dbname=${parsed.toString()}`],
    {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    },
  );
  if (dump.error || dump.status !== 0)
    return {
      unavailable: `pg_dump failed: ${(dump.stderr || String(dump.error)).trim().split('\n')[0] ?? ''}`,
    };
  // psql meta-commands (\restrict, \connect) are not SQL; pg_dump 17.6+ always writes \restrict.
  const sql = dump.stdout
    .split('\n')
    .filter((line) => !line.startsWith('\\'))
    .join('\n');
  return { sql, method: `pg_dump ${match?.[0] ?? major}` };
}

export interface AsWrittenFailure {
  file: string;
  line: number;
  sql: string;
  message: string;
  sqlstate: string | undefined;
}

/**
 * Run migration files statement by statement as a runner would: a `transaction` file inside one
 * transaction, other files statement by statement (a BEGIN in the file opens one). Returns the
 * first failure, after rolling back what its transaction did; null when everything ran.
 */
export async function runAsWritten(
  client: pg.Client,
  files: readonly MigrationFile[],
): Promise<AsWrittenFailure | null> {
  await loadPostgresParser();
  for (const file of files) {
    const { statements } = parsePostgres(file.sql, file.path);
    const wrap = file.transaction === 'transaction';
    if (wrap) await client.query('BEGIN');
    for (const statement of statements) {
      try {
        await client.query(statement.sql);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const e = error as { message?: string; code?: string };
        return {
          file: file.path,
          line: statement.line,
          sql: statement.sql,
          message: e.message ?? String(error),
          sqlstate: e.code,
        };
      }
    }
    if (wrap) await client.query('COMMIT');
  }
  return null;
}

/**
 * The schema a migrations directory builds, read back from a scratch database: how `validate
 * --migrations DIR` gets a snapshot to plan against when there is no live database.
 */
export async function replayedSnapshot(
  scratch: Pick<ScratchServer, 'createDatabase'>,
  files: readonly MigrationFile[],
): Promise<SchemaSnapshot> {
  const db = await scratch.createDatabase();
  try {
    const client = await connectPostgres(db.url, { applicationName: 'schemapilot validate' });
    try {
      const failure = await runAsWritten(client, files);
      if (failure)
        throw new InputError(
          `--migrations: ${failure.file}:${failure.line}: ${failure.message}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}`,
        );
    } finally {
      await client.end().catch(() => undefined);
    }
    return await inspectPostgres(db.url);
  } finally {
    await db.drop();
  }
}
