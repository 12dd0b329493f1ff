/**
 * What analyze, plan, validate, check and deploy share: the migration to read (paths, --change,
 * stdin), the schema to judge it against (--db, --schema, or none), the config and the flags
 * that adjust it. Every flag is checked before anything is read or connected to.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fsErrorWords } from '../core/fs-errors.js';
import { decodeSql, fileError, maxInputBytes, tooBig } from '../formats/text.js';
import { resolve } from 'node:path';
import { gatherInput, readLiveSchema, withTargetVersion, type LiveSchema } from '../api/input.js';
import { readInline, readMigrations } from '../api/read.js';
import type { Dialect, Session } from '../core/dialect/index.js';
import { InputError } from '../core/errors.js';
import type { Volatility } from '../core/facts.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { loadConfig } from '../config/load.js';
import { RUNNERS, type ResolvedConfig, type RunnerName } from '../config/types.js';
import { chooseDialect, DEFAULT_DIALECT, dialectNames } from '../dialects/index.js';
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
  dialect?: string;
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
    .option(
      '--dialect <name>',
      `${dialectNames().join(' or ')} (default: from the --db URL's scheme, the snapshot, else postgres)`,
    )
    .option(
      '--target-version <version>',
      'server version to assume without a database: a PostgreSQL major (10-18), or a MySQL/MariaDB version such as 8.0.36 or 10.11',
    )
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
  dialect: Dialect;
}

/**
 * Read config, flags, migration and schema. With a live database, the library's input
 * gathering (api/input.ts) re-measures the sizes of the tables the migration touches and asks
 * the server how volatile the functions in its defaults are; the session is read-only.
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
  if (flags.db !== undefined && flags.schema !== undefined)
    throw new InputError('give either --db or --schema, not both');
  if (paths.length === 0 && flags.change === undefined && !options.filesOptional) {
    throw new InputError(`nothing to ${verb}: give migration paths, --change "SQL", or - for stdin`);
  }
  const saved = flags.schema !== undefined ? await readSnapshot(flags.schema) : null;
  // An explicit --schema beats $DATABASE_URL; --db beats both.
  const url = saved ? undefined : resolveDbUrl(flags.db, false);
  const dialect = chooseDialect({
    name: flags.dialect,
    url,
    urlSource: flags.db !== undefined ? '--db' : 'DATABASE_URL',
    snapshotDialect: saved?.dialect,
  });
  applyFlags(config, flags, dialect);
  const input = await gatherInput({
    dialect,
    config,
    ...(url !== undefined ? { url } : {}),
    snapshot: saved,
    applicationName: `schemapilot ${verb}`,
    readFiles: (major) => readInputs(paths, flags, config.runner, major, dialect),
  });
  return { config, url, ...input };
}

function applyFlags(config: ResolvedConfig, flags: MigrationInputFlags, dialect: Dialect): void {
  if (flags.runner !== undefined) config.runner = oneOf('--runner', flags.runner, RUNNERS) as RunnerName;
  if (flags.targetVersion === undefined) {
    // The config file's version text, read by this run's dialect.
    Object.assign(config, withTargetVersion(config, dialect));
    delete config.targetVersionText;
    return;
  }
  delete config.targetVersionText;
  if (dialect.name !== 'postgres') {
    config.targetVersion = dialect.language.factKey(
      dialect.language.parseVersion(flags.targetVersion, '--target-version'),
    );
    return;
  }
  const major = /^\d+$/.test(flags.targetVersion) ? Number(flags.targetVersion) : NaN;
  if (!(major >= 10 && major <= 18)) {
    throw new InputError(
      `--target-version must be a PostgreSQL major from 10 to 18; got "${flags.targetVersion}"`,
    );
  }
  config.targetVersion = major;
}

async function readInputs(
  paths: readonly string[],
  flags: MigrationInputFlags,
  runner: RunnerName | null,
  major: number,
  dialect: Dialect,
): Promise<{ files: MigrationFile[]; notes: string[] }> {
  const files: MigrationFile[] = [];
  const notes: string[] = [];
  const take = (read: { files: MigrationFile[]; notes: string[] }) => {
    files.push(...read.files);
    for (const n of read.notes) if (!notes.includes(n)) notes.push(n);
  };
  if (flags.change !== undefined)
    take(await readInline('--change', flags.change, { runner, major, dialect }));
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
    if (path === '-') take(await readInline('<stdin>', await readStdin(), { runner, major, dialect }));
    else take(await readMigrations(path, { runner, major, dialect }));
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
export async function readSnapshot(path: string, flag = '--schema'): Promise<SchemaSnapshot> {
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
  // The snapshot's validator (zod) loads only when a snapshot is given.
  const { checkSnapshot } = await import('../schema/snapshot-input.js');
  const checked = checkSnapshot(parsed);
  if ('problem' in checked) {
    throw new InputError(
      `${flag} ${path}: ${checked.problem} (not a snapshot from "schemapilot inspect --format json"?)`,
    );
  }
  return checked.snapshot;
}

/**
 * The live snapshot with the touched tables measured now and the volatility of the functions
 * the migration's defaults call (api/input.ts), on an open session. Exported for tests.
 */
export function readLive(
  session: Session,
  files: readonly MigrationFile[],
  config: ResolvedConfig,
  dialect: Dialect = DEFAULT_DIALECT,
): Promise<LiveSchema> {
  return readLiveSchema({ dialect, session }, files, config.defaultSchema);
}
