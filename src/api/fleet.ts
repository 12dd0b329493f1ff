/**
 * `fleet check`: for each changed service, the whole dry run `check` does (analyze, plan,
 * validate on a scratch database, and the queries of every service on the same database
 * checked against the plan), side by side up to `jobs` at a time on one shared scratch server
 * per dialect, summed up in one FleetReport. A service's failure is its own row, never the
 * end of the run: the report always covers the whole fleet.
 */
import { relative } from 'node:path';
import { check, checkReportJson } from './check.js';
import { gatherInput } from './input.js';
import { readMigrations } from './read.js';
import type { Dialect } from '../core/dialect/index.js';
import type { ScratchServer } from '../core/dialect/scratch.js';
import type { SchemaSource } from '../core/dialect/validation.js';
import { redactUrl } from '../core/errors.js';
import type { FleetReport, FleetService, FleetServiceReport } from '../core/fleet.js';
import type { MigrationFile } from '../core/migration.js';
import type { ResolvedConfig } from '../config/types.js';
import { dialectNamed, dialectNames } from '../dialects/index.js';
import { HistoryUnknownError, pendingMigrations, type PendingMigrations } from '../formats/history.js';
import { canonicalJson } from '../schema/canonical-json.js';
import { replayedSnapshot } from '../validate/replay.js';
import { neighboursOf } from '../fleet/select.js';
import { ScratchPool } from '../fleet/scratch-pool.js';
import {
  checkedService,
  fleetReport,
  uncheckedService,
  type CheckJson,
  type ServiceIdentity,
} from '../fleet/summary.js';

export interface FleetCheckOptions {
  /** Every service of the config: neighbours are found among them. */
  fleet: readonly FleetService[];
  /** The services to check, each with its changed migration files (absolute paths); null: all pending. */
  targets: readonly { service: FleetService; changed: readonly string[] | null }[];
  /** Services of the selection with nothing to check. */
  unchanged: readonly string[];
  config: ResolvedConfig;
  /** Paths in the report are relative to it (the repository root). */
  root: string;
  since: string | null;
  jobs: number;
  /** Scratch servers by dialect name (`--dev-url`); others are embedded. */
  devUrls?: ReadonlyMap<string, string>;
  /** Where `databaseUrlEnv` names are looked up. */
  env?: NodeJS.ProcessEnv;
  onProgress?: (service: string, message: string) => void;
  onWarning?: (message: string) => void;
}

export async function fleetCheck(options: FleetCheckOptions): Promise<FleetReport> {
  const pool = new ScratchPool(options.devUrls ?? new Map(), options.onWarning);
  try {
    const results = await inParallel(options.targets, options.jobs, (target) =>
      checkOne(target.service, target.changed, pool, options),
    );
    // Nothing pending on a service's database is nothing to check, as no changed file is with
    // --since: it joins `unchanged` (docs/decisions/0030-pending-migrations.md).
    const reports = results.filter((r): r is FleetServiceReport => !('nothingPending' in r));
    const upToDate = results.flatMap((r) => ('nothingPending' in r ? [r.nothingPending] : []));
    return fleetReport(reports, options.since, [...options.unchanged, ...upToDate]);
  } finally {
    await pool.close();
  }
}

async function checkOne(
  service: FleetService,
  changed: readonly string[] | null,
  pool: ScratchPool,
  options: FleetCheckOptions,
): Promise<FleetServiceReport | { nothingPending: string }> {
  const dialectName = service.dialect ?? 'postgres';
  const identity: ServiceIdentity = {
    service: service.name,
    dialect: dialectName,
    database: service.database ?? null,
    owners: service.owners ?? [],
    migrations: (changed ?? []).map((f) => relative(options.root, f)),
  };
  if (!dialectNames().includes(dialectName))
    return uncheckedService(
      identity,
      'skipped',
      `${dialectName} services are not supported yet: nothing was checked (schemapilot speaks ${dialectNames().join(', ')})`,
    );
  const progress = (message: string) => options.onProgress?.(service.name, message);
  try {
    const dialect = dialectNamed(dialectName);
    const result = await runCheck(service, changed, dialect, pool, options, progress);
    if ('nothingPending' in result) return { nothingPending: service.name };
    const { check: report, migrations } = result;
    identity.migrations = migrations;
    if (migrations.length === 0)
      return uncheckedService(
        identity,
        'skipped',
        'no migration to check: its changed files are not migrations it runs',
      );
    return checkedService(identity, report);
  } catch (error) {
    return uncheckedService(
      identity,
      'failed',
      redactUrl(error instanceof Error ? error.message : String(error)),
    );
  }
}

async function runCheck(
  service: FleetService,
  changed: readonly string[] | null,
  dialect: Dialect,
  pool: ScratchPool,
  options: FleetCheckOptions,
  progress: (message: string) => void,
): Promise<{ check: CheckJson; migrations: string[] } | { nothingPending: true }> {
  const config: ResolvedConfig = { ...options.config, runner: service.runner ?? options.config.runner };
  const dir = service.migrations;
  if (dir === undefined) throw new Error(`service ${service.name} has no "migrations" in the config`);
  const env = options.env ?? process.env;
  const url = service.databaseUrlEnv ? env[service.databaseUrlEnv] || undefined : undefined;
  const notes: string[] = [];
  const split = (files: readonly MigrationFile[]) => {
    const isChanged = (f: MigrationFile) =>
      changed === null || changed.some((c) => relative(options.root, c) === f.path);
    return { base: files.filter((f) => !isChanged(f)), change: files.filter(isChanged) };
  };
  const read = async (major: number) => {
    const result = await readMigrations(dir, { runner: config.runner, major, dialect, cwd: options.root });
    return { files: result.files, notes: result.notes, runner: result.runner };
  };
  progress(
    url
      ? `reading the migrations and ${service.databaseUrlEnv} (read-only${changed === null ? ', with the migration history' : ''})`
      : 'reading the migrations',
  );
  if (url === undefined && service.databaseUrlEnv)
    notes.push(
      `${service.databaseUrlEnv} is not set: the schema before the migration was rebuilt by replaying the service's unchanged migrations`,
    );
  const scratch = await pool.get(dialect);
  let files: MigrationFile[];
  let snapshot;
  let volatility;
  let schema: SchemaSource;
  if (url !== undefined) {
    // Without --since, the pending migrations: the tool's history on the live database says
    // which files it has applied (the live schema has them); the rest are checked.
    const history: { pending: PendingMigrations | null } = { pending: null };
    const input = await gatherInput({
      dialect,
      config,
      url,
      applicationName: 'schemapilot fleet check',
      skipSchemaWithoutFiles: changed === null,
      readFiles: async (major, live) => {
        const all = await read(major);
        if (changed !== null || live === null) return all;
        const pending = await pendingMigrations({
          runner: all.runner,
          files: all.files,
          cwd: options.root,
          dialect,
          session: live.session,
        });
        history.pending = pending;
        return { files: pending.pending, notes: [...all.notes, ...pending.notes] };
      },
    }).catch((error: unknown) => {
      if (!(error instanceof HistoryUnknownError)) throw error;
      const plain = error.runner === 'plain' || error.runner === 'psql';
      throw new Error(
        `without --since, the pending migrations are read from the migration tool's history, and ${error.message}: give --since REF to check the migrations changed since REF${plain ? ', or set the service\'s "runner" to the tool that runs them' : ''}`,
      );
    });
    if (history.pending) {
      const { table, pending, applied } = history.pending;
      const count = (list: readonly MigrationFile[]) => new Set(list.map((f) => f.path)).size;
      if (pending.length === 0) {
        progress(`nothing pending: ${table} has all ${count(applied)} migrations applied`);
        return { nothingPending: true };
      }
      notes.push(
        `pending migrations from ${table}: ${count(pending)} of ${count(pending) + count(applied)} (${count(applied)} applied, already in the live schema, not checked again)`,
      );
    }
    files = split(input.files).change;
    notes.push(...input.notes);
    if (!input.snapshot) throw new Error(`${service.databaseUrlEnv}: the database gave no schema`);
    snapshot = input.snapshot;
    volatility = input.volatility;
    schema = { kind: 'snapshot', snapshot };
  } else {
    const all = await read(scratch.major);
    notes.push(...all.notes);
    const { base, change } = split(all.files);
    files = change;
    progress(
      `replaying ${base.length} unchanged migration${base.length === 1 ? '' : 's'} on the scratch server`,
    );
    snapshot = await replayedSnapshot(dialect, scratch, base).catch((error: unknown) => {
      // Its message names the flag validate takes; here the replay is the fleet's own doing.
      if (error instanceof Error)
        error.message = error.message.replace(/^--migrations: /, 'replaying its unchanged migrations: ');
      throw error;
    });
    schema = { kind: 'migrations', files: base };
  }
  const migrations = files.map((f) => f.path);
  if (files.length === 0) return { check: emptyCheck(), migrations };
  const neighbours = neighboursOf(service, options.fleet);
  const queriesCheckable = dialect.driver?.impact !== undefined;
  if (!queriesCheckable)
    notes.push(
      `the queries of ${neighbours.map((s) => s.name).join(', ')} were not checked: schemapilot cannot compile queries on ${dialect.title} yet`,
    );
  const result = await check({
    dialect,
    files,
    snapshot,
    schema,
    scratch,
    config,
    ...(volatility ? { volatility } : {}),
    services: queriesCheckable ? neighbours : [],
    onProgress: progress,
  });
  for (const note of notes)
    if (!result.analysis.assumptions.includes(note)) result.analysis.assumptions.push(note);
  return { check: JSON.parse(canonicalJson(checkReportJson(result))) as CheckJson, migrations };
}

/** Never reported: a service with no migration to check is skipped before its check is read. */
function emptyCheck(): CheckJson {
  return {
    analysis: { assessment: { breaking_changes: [], performance_impact: 'low', lock_duration_estimate: '' } },
    plan: { steps: [] },
    validation: { passed: true },
    checklist: [],
    safeToDeploy: true,
  };
}

/** `work` over `items`, at most `jobs` at a time, results in the items' order. */
async function inParallel<T, R>(
  items: readonly T[],
  jobs: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

export type { ScratchServer };
