/**
 * What analyze, plan, validate, check and deploy share: the migration to read (paths, --change,
 * stdin), the schema to judge it against (--db, --schema, or none), the config and the flags
 * that adjust it. Every flag is checked before anything is read or connected to.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type pg from 'pg';
import { changeTable } from '../core/change.js';
import { checkSnapshot } from '../schema/snapshot-input.js';
import { fsErrorWords } from '../core/fs-errors.js';
import { decodeSql, fileError, maxInputBytes, tooBig } from '../formats/text.js';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Volatility } from '../core/facts.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { loadConfig } from '../config/load.js';
import { ASSUMED_MAJOR, RUNNERS, type ResolvedConfig, type RunnerName } from '../config/types.js';
import { lowerStatement } from '../dialects/postgres/lower.js';
import { parsePostgres } from '../dialects/postgres/parser.js';
import { readInline, readMigrations } from '../formats/read.js';
import type { MigrationFile } from '../core/migration.js';
import { ENGINE_RULE_IDS } from '../linter/run.js';
import { allRules } from '../rules/index.js';
import { oneOf, resolveDbUrl } from './io.js';
import { addNetworkOptions } from './network.js';

export interface MigrationInputFlags {
  change?: string;
  db?: string;
  schema?: string;
  runner?: string;
  config?: string;
  targetVersion?: string;
}

/** The options every migration-reading command takes. */
export function addMigrationInputOptions(command: Command, verb: string): Command {
  return addNetworkOptions(command)
    .argument(
      '[paths...]',
      'migration files or directories (Flyway, golang-migrate, dbmate, Prisma, Drizzle, Sqitch, alembic --sql, diesel, sqlx, popx, plain); - for stdin',
    )
    .option('--change <sql>', `${verb} this SQL instead of files`)
    .option(
      '--db <url>',
      'live database: schema, sizes and version come from it (default: $DATABASE_URL if set); never written to',
    )
    .option('--schema <snapshot.json>', 'a snapshot saved by `schemapilot inspect --format json`')
    .option(
      '--runner <name>',
      `how files are run, which decides transactions (default: from the layout): ${RUNNERS.join(', ')}`,
    )
    .option('--target-version <major>', 'PostgreSQL major to assume without a database (10-18)')
    .option('--config <file>', 'config file (default: ./schemapilot.config.json when present)');
}

export interface MigrationInput {
  config: ResolvedConfig;
  files: MigrationFile[];
  /** What was assumed while reading (runner guesses, ignored flags). */
  notes: string[];
  snapshot: SchemaSnapshot | null;
  volatility?: (fn: string) => Volatility | undefined;
  /** The live database's URL, when --db or $DATABASE_URL gave one. */
  url: string | undefined;
  major: number;
}

/**
 * Read config, flags, migration and schema. With a live database, the snapshot's sizes are
 * re-measured for the tables the migration touches, and pg_proc says how volatile the functions
 * in its defaults are; the session is read-only.
 */
export async function readMigrationInput(
  paths: readonly string[],
  flags: MigrationInputFlags,
  verb: string,
  /** validate of a plan.json reads no migration files, only the schema and config. */
  options: { filesOptional?: boolean } = {},
): Promise<MigrationInput> {
  const { config } = loadConfig({
    explicitPath: flags.config,
    knownRules: [...allRules.map((r) => r.meta.id), ...ENGINE_RULE_IDS],
  });
  applyFlags(config, flags);
  if (flags.db !== undefined && flags.schema !== undefined)
    throw new InputError('give either --db or --schema, not both');
  if (paths.length === 0 && flags.change === undefined && !options.filesOptional) {
    throw new InputError(`nothing to ${verb}: give migration paths, --change "SQL", or - for stdin`);
  }
  const saved = flags.schema !== undefined ? readSnapshot(flags.schema) : null;
  // An explicit --schema beats $DATABASE_URL; --db beats both.
  const url = saved ? undefined : resolveDbUrl(flags.db, false);
  const live = url ? await openLive(url, verb) : null;
  try {
    const known = live?.major ?? (saved ? majorOf(saved) : null);
    const major = known ?? config.targetVersion ?? ASSUMED_MAJOR;
    const { files, notes } = await readInputs(paths, flags, config.runner, major);
    if (known !== null && config.targetVersion !== null && config.targetVersion !== known) {
      notes.push(
        `target version ${config.targetVersion} not used: the ${live ? 'database' : 'snapshot'} is PostgreSQL ${known}`,
      );
    }
    const source = live ? await readLive(live.client, files, config) : { snapshot: saved };
    return { config, files, notes, url, major, ...source };
  } finally {
    await live?.client.end().catch(() => undefined);
  }
}

function applyFlags(config: ResolvedConfig, flags: MigrationInputFlags): void {
  if (flags.runner !== undefined) config.runner = oneOf('--runner', flags.runner, RUNNERS) as RunnerName;
  if (flags.targetVersion !== undefined) {
    const major = /^\d+$/.test(flags.targetVersion) ? Number(flags.targetVersion) : NaN;
    if (!(major >= 10 && major <= 18)) {
      throw new InputError(
        `--target-version must be a PostgreSQL major from 10 to 18; got "${flags.targetVersion}"`,
      );
    }
    config.targetVersion = major;
  }
}

async function readInputs(
  paths: readonly string[],
  flags: MigrationInputFlags,
  runner: RunnerName | null,
  major: number,
): Promise<{ files: MigrationFile[]; notes: string[] }> {
  const files: MigrationFile[] = [];
  const notes: string[] = [];
  const take = (read: { files: MigrationFile[]; notes: string[] }) => {
    files.push(...read.files);
    for (const n of read.notes) if (!notes.includes(n)) notes.push(n);
  };
  if (flags.change !== undefined) take(await readInline('--change', flags.change, { runner, major }));
  // Standard input, or a FIFO, can be read once: a second read would wait for an end that
  // already came. Any path given twice would also be analysed twice, so none may repeat.
  const seen = new Set<string>();
  for (const path of paths) {
    const key = path === '-' ? '-' : resolve(path);
    if (seen.has(key))
      throw new InputError(
        path === '-'
          ? '"-" (standard input) is given more than once; it can be read only once'
          : `${path} is given more than once`,
      );
    seen.add(key);
  }
  for (const path of paths) {
    if (path === '-') take(await readInline('<stdin>', await readStdin(), { runner, major }));
    else take(await readMigrations(path, { runner, major }));
  }
  return { files, notes };
}

/** Standard input as UTF-8, within the input size limit (see maxInputBytes). */
function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const limit = maxInputBytes();
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        process.stdin.off('data', onData);
        process.stdin.pause();
        reject(tooBig('<stdin>'));
        return;
      }
      chunks.push(chunk);
    };
    process.stdin.on('data', onData);
    process.stdin.on('end', () => {
      try {
        resolve(decodeSql(Buffer.concat(chunks, total), '<stdin>'));
      } catch (error) {
        reject(error);
      }
    });
    process.stdin.on('error', (error) => reject(fileError('<stdin>', error)));
  });
}

/** A snapshot file from `inspect --format json`; older ones without functions still load. */
export function readSnapshot(path: string, flag = '--schema'): SchemaSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a snapshot file'
          : code !== undefined
            ? fsErrorWords(error)
            : `not a JSON snapshot (${(error as Error).message})`;
    throw new InputError(`${flag} ${path}: ${why}`);
  }
  const checked = checkSnapshot(parsed);
  if ('problem' in checked) {
    throw new InputError(
      `${flag} ${path}: ${checked.problem} (not a snapshot from "schemapilot inspect --format json"?)`,
    );
  }
  return checked.snapshot;
}

function majorOf(snapshot: SchemaSnapshot): number {
  return Math.floor(snapshot.serverVersionNum / 10000);
}

interface LiveDatabase {
  client: pg.Client;
  major: number;
}

/**
 * Connect for reading only: the session's transactions default to READ ONLY, so nothing this
 * command runs can write to the database, whatever the query.
 */
async function openLive(url: string, verb: string): Promise<LiveDatabase> {
  // Loaded here, not at the top: the driver takes ~100 ms to load, and most runs have no database.
  const { connectPostgres } = await import('../dialects/postgres/connect.js');
  const client = await connectPostgres(url, { applicationName: `schemapilot ${verb}`, readOnly: true });
  try {
    await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    const { rows } = await client.query<{ v: number }>(
      `SELECT current_setting('server_version_num')::int AS v`,
    );
    return { client, major: Math.floor((rows[0]?.v ?? 0) / 10000) };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Snapshot of the live database, with the sizes of the tables the migration touches measured
 * now (the snapshot's come from planner statistics), and the volatility of functions it calls
 * in defaults. Exported for tests.
 */
export async function readLive(
  client: pg.Client,
  files: readonly MigrationFile[],
  config: ResolvedConfig,
): Promise<{ snapshot: SchemaSnapshot; volatility: (fn: string) => Volatility | undefined }> {
  const touched = touchedObjects(files, config.defaultSchema);
  const { introspectPostgres } = await import('../dialects/postgres/introspect.js');
  const { functionVolatility, measureTables } = await import('../dialects/postgres/live.js');
  const snapshot = await introspectPostgres(client);
  await measureTables(client, snapshot, touched.tables);
  const volatility = await functionVolatility(client, touched.functions);
  return { snapshot, volatility: (fn) => volatility.get(fn) };
}

function touchedObjects(
  files: readonly MigrationFile[],
  defaultSchema: string,
): { tables: string[]; functions: string[] } {
  const tables = new Set<string>();
  const functions = new Set<string>();
  for (const file of files) {
    for (const statement of parsePostgres(file.sql, file.path).statements) {
      for (const change of lowerStatement(statement.ast, { defaultSchema })) {
        const table = changeTable(change);
        if (table) tables.add(table);
        if (change.kind === 'add column')
          for (const fn of change.column.default?.functions ?? []) functions.add(fn);
        if (change.kind === 'set default') for (const fn of change.default.functions) functions.add(fn);
      }
    }
  }
  return { tables: [...tables], functions: [...functions] };
}
