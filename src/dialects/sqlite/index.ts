/**
 * SQLite as an implementation of the dialect contract (src/core/dialect). The rest of
 * schemapilot reaches it only through this object, registered in src/dialects/index.ts.
 *
 * language: our own parser (syntax/, decision 0032), lowering, facts per SQLite version
 * (facts/, decision 0033), quoting, versions, capabilities. Nothing here loads better-sqlite3:
 * `analyze` without a database needs no native module.
 *
 * driver and scratch (decision 0034): a file named by `sqlite:path`, `file:` or a bare .db path
 * (url.ts), sessions on it (connect.ts), the snapshot (introspect/), the step runner (steps/),
 * plain and live reads, copies of the file for validate (scratch/, validate/); better-sqlite3
 * loads on first use.
 * planner and safeSql: the table rebuild and the recipes' building blocks (rebuild/, safe-sql/,
 * plan-sql.ts, decision 0035).
 */
import { lazyValidation } from '../../core/dialect/validation.js';
import type { Dialect, DialectDriver, ScratchProvider } from '../../core/dialect/index.js';
import { SQLITE_CAPABILITIES } from './capabilities.js';
import { sqliteEngine } from './engine.js';
import { sqlitePlannerDialect } from './plan-sql.js';
import { SQLITE_SAFE_SQL } from './safe-sql/index.js';
import { ASSUMED_SQLITE_VERSION, parseSqliteVersion, sqliteFactKey } from './version.js';
import type * as LoadedDriver from './driver.js';
import type * as LoadedValidationModule from './validate/index.js';
import { sqliteReads } from './reads.js';
import { sqliteDeploy } from './deploy/index.js';
import { sqliteSteps } from './steps/runner.js';
import { comparableSnapshot } from './validate/comparable.js';
import { describeSqliteTarget, SQLITE_FILE_EXTENSIONS, SQLITE_URL_SCHEMES } from './url.js';

// The driver half: better-sqlite3 (a native module) loads on first use, as the other dialects' clients do.
type Loaded = typeof LoadedDriver;
let loading: Promise<Loaded> | undefined;
const load = async (): Promise<Loaded> => (loading ??= import('./driver.js'));

type LoadedValidation = typeof LoadedValidationModule;
let loadingValidation: Promise<LoadedValidation> | undefined;
const validation = lazyValidation(
  async () => (await (loadingValidation ??= import('./validate/index.js'))).sqliteValidation,
  { comparable: comparableSnapshot, checksIntegrity: true },
);

const driver: DialectDriver = {
  describeTarget: describeSqliteTarget,
  connect: async (url, options) => (await load()).connect(url, options),
  serverVersion: async (session) => (await load()).serverVersion(session),
  inspect: async (url, options) => (await load()).inspect(url, options),
  introspect: async (session, options) => (await load()).introspect(session, options),
  steps: sqliteSteps,
  validation,
  live: {
    measureTables: async (session, snapshot, tables) =>
      (await load()).live.measureTables(session, snapshot, tables),
    functionVolatility: async (session, names) => (await load()).live.functionVolatility(session, names),
  },
  reads: sqliteReads,
  deploy: sqliteDeploy,
  impact: {
    prepare: async (session, sql, parameters) =>
      (await import('./impact/checker.js')).sqliteQueryChecker.prepare(session, sql, parameters),
  },
};

const scratch: ScratchProvider = {
  open: async (options) => (await import('./scratch/provider.js')).sqliteScratch.open(options),
};

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  title: 'SQLite',
  urlSchemes: SQLITE_URL_SCHEMES,
  fileExtensions: SQLITE_FILE_EXTENSIONS,
  language: {
    fileClient: "the sqlite3 shell's .read",
    // The parser is plain TypeScript: nothing to load.
    load: () => Promise.resolve(),
    // SQLite's name for the database file a connection opens; `temp` and attached databases
    // are the other schemas.
    defaultSchema: 'main',
    engine: sqliteEngine,
    parseVersion: parseSqliteVersion,
    snapshotVersion: (snapshot) => parseSqliteVersion(snapshot.serverVersion, 'the snapshot'),
    factKey: sqliteFactKey,
    assumedVersion: { version: ASSUMED_SQLITE_VERSION, words: `SQLite ${ASSUMED_SQLITE_VERSION.text}` },
    capabilities: SQLITE_CAPABILITIES,
    planner: (defaultSchema) => sqlitePlannerDialect(sqliteEngine(defaultSchema), defaultSchema),
  },
  driver,
  scratch,
  safeSql: SQLITE_SAFE_SQL,
};
