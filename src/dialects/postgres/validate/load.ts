/**
 * Putting a schema on a scratch database: from a snapshot (snapshotDdl), from `pg_dump
 * --schema-only` of the live database, or by replaying a migrations directory. Also runs a
 * migration exactly as written, which is how the intent check learns what the author meant.
 */
import { execFile } from 'node:child_process';
import type pg from 'pg';
import { redactUrl } from '../../../core/errors.js';
import type { AsWrittenFailure, LoadReport, SchemaSource } from '../../../core/dialect/validation.js';
import type { SchemaSnapshot } from '../../../core/snapshot.js';
import { libpqEnvironment, parseConnectionString } from '../conninfo.js';
import {
  connectTimeoutOverride,
  deadlineFor,
  DEFAULT_CONNECT_TIMEOUT_MS,
  formatSeconds,
  queryTimeoutMs,
} from '../../../core/timeouts.js';
import { loadPostgresParser, parsePostgres } from '../parser.js';
import type { MigrationFile } from '../../../core/migration.js';
import { snapshotDdl } from './clone.js';

export type { AsWrittenFailure, LoadReport, SchemaSource } from '../../../core/dialect/validation.js';

export async function loadSchema(client: pg.Client, source: SchemaSource): Promise<LoadReport> {
  if (source.kind === 'migrations') {
    const failure = await runAsWritten(client, source.files);
    if (failure) throw new Error(`replaying the migrations failed: ${failure.file}: ${failure.message}`);
    return { method: `${source.files.length} migration file(s)`, warnings: [] };
  }
  if (source.kind === 'pg-dump') {
    const dump = await pgDumpSchema(source.url, Math.floor(source.snapshot.serverVersionNum / 10000));
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
 * on PATH (an older one refuses to dump a newer server). The connection goes through libpq's
 * environment (PGHOST, PGPASSWORD, …), never the command line, where `ps` would show the
 * password to every user of the machine. A pg_dump that outlives the deadline is killed: its
 * own statement_timeout is 0, so a server that stops answering would hold it forever.
 */
export async function pgDumpSchema(
  url: string,
  serverMajor: number,
): Promise<{ sql: string; method: string } | { unavailable: string }> {
  const version = await run('pg_dump', ['--version'], {}, 10_000);
  if (!version.ok) return { unavailable: 'pg_dump is not on PATH' };
  const match = /(\d+)(?:\.(\d+))?/.exec(version.stdout);
  const major = Number(match?.[1] ?? 0);
  if (major < serverMajor)
    return { unavailable: `pg_dump ${major} is older than the server (PostgreSQL ${serverMajor})` };
  const env = libpqEnvironment(parseConnectionString(url));
  const deadline = Math.max(PG_DUMP_MIN_MS, deadlineFor(queryTimeoutMs()));
  const dump = await run(
    'pg_dump',
    ['--schema-only', '--no-owner', '--no-privileges', '--no-comments'],
    { ...process.env, ...env, ...connectTimeoutVariable(env) },
    deadline,
  );
  if (!dump.ok)
    return {
      unavailable: dump.timedOut
        ? `pg_dump did not finish within ${formatSeconds(deadline)} and was stopped`
        : `pg_dump failed: ${redactUrl(dump.stderr.trim().split('\n')[0] ?? '')}`,
    };
  // psql meta-commands (\restrict, \connect) are not SQL; pg_dump 17.6+ always writes \restrict.
  const sql = dump.stdout
    .split('\n')
    .filter((line) => !line.startsWith('\\'))
    .join('\n');
  return { sql, method: `pg_dump ${match?.[0] ?? major}` };
}

/** pg_dump of a big catalog takes a while even when all is well. */
const PG_DUMP_MIN_MS = 120_000;

/** As our own connections: `--connect-timeout`, the URL's connect_timeout, PGCONNECT_TIMEOUT, 10 s. */
function connectTimeoutVariable(fromUrl: Record<string, string>): Record<string, string> {
  const given = fromUrl['PGCONNECT_TIMEOUT'] ?? process.env['PGCONNECT_TIMEOUT'];
  const ms = connectTimeoutOverride() ?? (given ? undefined : DEFAULT_CONNECT_TIMEOUT_MS);
  // libpq reads whole seconds and takes 1 as 2; never 0, which means forever.
  return ms === undefined ? {} : { PGCONNECT_TIMEOUT: String(Math.max(2, Math.ceil(ms / 1000))) };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ ok: boolean; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL', env },
      (error, stdout, stderr) =>
        resolve({
          ok: error === null,
          stdout,
          stderr: stderr || (error ? error.message : ''),
          timedOut: (error as { killed?: boolean } | null)?.killed === true,
        }),
    );
  });
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
