/**
 * Input gathering: what analyze, plan, validate, check, deploy and the MCP tools learn from the
 * target before judging a migration. With a live database, a read-only session gives the
 * server's version, its snapshot, the current sizes of the tables the migration touches (the
 * snapshot's come from the server's statistics, which go stale: docs/decisions/0002) and the
 * volatility of the functions its new defaults call. The CLI and the MCP server both come
 * here, so the same input gets the same analysis from either.
 */
import { changeTable } from '../core/change.js';
import type { Dialect, DialectDriver, ServerVersion, Session } from '../core/dialect/index.js';
import { InputError } from '../core/errors.js';
import type { Volatility } from '../core/facts.js';
import type { MigrationFile } from '../core/migration.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import { DEFAULT_DIALECT, dialectNamed } from '../dialects/index.js';

/** A read-only session on the target, with its version read. */
export interface LiveDatabase {
  dialect: Dialect;
  session: Session;
  version: ServerVersion;
  /** The version's fact key (the PostgreSQL major). */
  major: number;
  close(): Promise<void>;
}

/** What the live database says beyond the migration. */
export interface LiveSchema {
  snapshot: SchemaSnapshot;
  /** Volatility of the functions the migration's defaults call, as the server has them. */
  volatility: (fn: string) => Volatility | undefined;
}

/** The dialect of a run: the one given, else the snapshot's, else the registry's default. */
export function dialectFor(dialect: Dialect | undefined, snapshot?: SchemaSnapshot | null): Dialect {
  if (dialect) return dialect;
  return snapshot ? dialectNamed(snapshot.dialect, 'snapshot') : DEFAULT_DIALECT;
}

/**
 * The config with the dialect's default schema where the config leaves the default: `public`
 * is PostgreSQL's, and a dialect whose unqualified names live elsewhere (SQLite's `main`) gets
 * its own. A config that sets `defaultSchema` to anything else keeps it.
 */
export function configForDialect(
  config: ResolvedConfig,
  dialect: Dialect,
  /** The schema the run works on: MySQL's unqualified names live in its database. */
  snapshot?: SchemaSnapshot | null,
): ResolvedConfig {
  const versioned = withTargetVersion(config, dialect);
  if (versioned.defaultSchema !== DEFAULT_CONFIG.defaultSchema) return versioned;
  const schema = dialect.language.defaultSchemaOf?.(snapshot ?? null) ?? dialect.language.defaultSchema;
  return schema === versioned.defaultSchema ? versioned : { ...versioned, defaultSchema: schema };
}

/** The config file's `targetVersion` written as a version ("8.0.36"), read by the run's dialect. */
export function withTargetVersion(config: ResolvedConfig, dialect: Dialect): ResolvedConfig {
  if (config.targetVersionText === undefined) return config;
  const { targetVersionText, ...rest } = config;
  const source = 'schemapilot.config.json: targetVersion';
  const key = dialect.language.factKey(dialect.language.parseVersion(targetVersionText, source));
  // A MySQL-looking version on a PostgreSQL run is a mistake, not PostgreSQL 8.
  if (dialect.name === 'postgres' && !(key >= 10 && key <= 18))
    throw new InputError(`${source}: "${targetVersionText}" is not a PostgreSQL major from 10 to 18`);
  return { ...rest, targetVersion: key };
}

/** The fact key of a snapshot's server version (the PostgreSQL major). */
export function snapshotMajor(dialect: Dialect, snapshot: SchemaSnapshot): number {
  return dialect.language.factKey(dialect.language.snapshotVersion(snapshot));
}

/** The fact key analysis assumes when no version is known or configured. */
export function assumedMajor(dialect: Dialect): number {
  return dialect.language.factKey(dialect.language.assumedVersion.version);
}

function driverOf(dialect: Dialect): DialectDriver {
  if (!dialect.driver)
    throw new InputError(`the ${dialect.title} dialect cannot connect to a database: use a snapshot instead`);
  return dialect.driver;
}

/** The snapshot of the database at `url`, read-only (`schemapilot inspect`, the MCP inspect tool). */
export function inspectDatabase(
  url: string,
  options: { dialect?: Dialect; schemas?: readonly string[] } = {},
): Promise<SchemaSnapshot> {
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  return driverOf(dialect).inspect(url, options.schemas ? { schemas: options.schemas } : {});
}

/**
 * Connect for reading only: the session's transactions default to READ ONLY, so nothing this
 * run does can write to the database, whatever the query.
 */
export async function openLiveDatabase(
  url: string,
  options: { dialect?: Dialect; applicationName: string },
): Promise<LiveDatabase> {
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  const driver = driverOf(dialect);
  const session = await driver.connect(url, { applicationName: options.applicationName, readOnly: true });
  try {
    const version = await driver.serverVersion(session);
    return {
      dialect,
      session,
      version,
      major: dialect.language.factKey(version),
      close: () => session.close(),
    };
  } catch (error) {
    await session.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Snapshot of the live database, with the sizes of the tables the migration touches measured
 * now, and the volatility of functions it calls in defaults (a driver without the live section
 * gives the snapshot's estimates and its functions' volatility).
 */
export async function readLiveSchema(
  live: Pick<LiveDatabase, 'dialect' | 'session'>,
  files: readonly MigrationFile[],
  defaultSchema: string,
): Promise<LiveSchema> {
  const { dialect, session } = live;
  const driver = driverOf(dialect);
  await dialect.language.load();
  const snapshot = await driver.introspect(session);
  const touched = touchedObjects(
    dialect,
    files,
    defaultSchema === DEFAULT_CONFIG.defaultSchema
      ? (dialect.language.defaultSchemaOf?.(snapshot) ?? defaultSchema)
      : defaultSchema,
  );
  if (!driver.live) return { snapshot, volatility: snapshotVolatility(snapshot) };
  await driver.live.measureTables(session, snapshot, touched.tables);
  const volatility = await driver.live.functionVolatility(session, touched.functions);
  return { snapshot, volatility: (fn) => volatility.get(fn) };
}

export interface GatherOptions {
  dialect?: Dialect;
  config: ResolvedConfig;
  /** The live database; none analyses against `snapshot`, or without a schema. */
  url?: string;
  /** A saved snapshot, used when there is no `url`. */
  snapshot?: SchemaSnapshot | null;
  /** Shown in the server's session list ("schemapilot analyze"). */
  applicationName: string;
  /**
   * Reads the migration once the version is known (Flyway decides some files by it). `live` is
   * the open read-only session when there is a `url` (fleet check reads the migration tool's
   * history on it to keep only the pending files).
   */
  readFiles(major: number, live: LiveDatabase | null): Promise<{ files: MigrationFile[]; notes: string[] }>;
  /**
   * With no file to analyse, skip reading the live schema (fleet check: nothing pending); the
   * result then has no snapshot.
   */
  skipSchemaWithoutFiles?: boolean;
}

export interface GatheredInput {
  dialect: Dialect;
  files: MigrationFile[];
  /** What was assumed while reading (runner guesses, a configured version not used). */
  notes: string[];
  snapshot: SchemaSnapshot | null;
  volatility?: (fn: string) => Volatility | undefined;
  /** The version key analysis uses: the database's, the snapshot's, the config's or the assumed one. */
  major: number;
}

/** The migration and what the target says about it; the live session is closed on return. */
export async function gatherInput(options: GatherOptions): Promise<GatheredInput> {
  const saved = options.url === undefined ? (options.snapshot ?? null) : null;
  const dialect = dialectFor(options.dialect, saved);
  const config = configForDialect(options.config, dialect, saved);
  const live =
    options.url !== undefined
      ? await openLiveDatabase(options.url, { dialect, applicationName: options.applicationName })
      : null;
  try {
    const known = live?.major ?? (saved ? snapshotMajor(dialect, saved) : null);
    const major = known ?? config.targetVersion ?? assumedMajor(dialect);
    const { files, notes } = await options.readFiles(major, live);
    if (known !== null && config.targetVersion !== null && config.targetVersion !== known) {
      notes.push(
        `target version ${config.targetVersion} not used: the ${live ? 'database' : 'snapshot'} is ${dialect.title} ${known}`,
      );
    }
    const skip = options.skipSchemaWithoutFiles === true && files.length === 0;
    if (live && skip) return { dialect, files, notes, major, snapshot: null };
    const source = live ? await readLiveSchema(live, files, config.defaultSchema) : { snapshot: saved };
    return { dialect, files, notes, major, ...source };
  } finally {
    await live?.close().catch(() => undefined);
  }
}

/** The tables the migration acts on and the functions its new defaults call. */
function touchedObjects(
  dialect: Dialect,
  files: readonly MigrationFile[],
  defaultSchema: string,
): { tables: string[]; functions: string[] } {
  const engine = dialect.language.engine(defaultSchema);
  const tables = new Set<string>();
  const functions = new Set<string>();
  for (const file of files) {
    for (const statement of engine.parse(file.sql, file.path).statements) {
      for (const change of engine.lower(statement.ast, defaultSchema)) {
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

/** Volatility of the snapshot's own functions, by bare and qualified name (overloads: the worst). */
export function snapshotVolatility(snapshot: SchemaSnapshot): (fn: string) => Volatility | undefined {
  const rank: Record<Volatility, number> = { immutable: 0, stable: 1, volatile: 2 };
  const map = new Map<string, Volatility>();
  for (const f of snapshot.functions ?? []) {
    for (const key of [f.name, `${f.schema}.${f.name}`]) {
      const seen = map.get(key);
      if (!seen || rank[f.volatility] > rank[seen]) map.set(key, f.volatility);
    }
  }
  return (fn) => map.get(fn);
}
