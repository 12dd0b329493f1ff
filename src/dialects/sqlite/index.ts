/**
 * SQLite as an implementation of the dialect contract (src/core/dialect). The rest of
 * schemapilot reaches it only through this object, registered in src/dialects/index.ts.
 *
 * TODO, in this order (CONTRIBUTING.md, "A dialect"):
 * - language: parser.ts, lower.ts, facts.ts, quote.ts, version.ts; capabilities below;
 * - safeSql: the building blocks rules and plan recipes share (src/core/dialect/safe-sql.ts);
 * - driver: sessions, introspection, the step runner, deploy lock and probes
 *   (src/core/dialect/driver.ts; ../postgres/index.ts shows one);
 * - scratch: isolated databases for validate (src/core/dialect/scratch.ts).
 */
import type {
  Dialect,
  DialectDriver,
  Engine,
  ScratchProvider,
  ValidationDriver,
} from '../../core/dialect/index.js';
import { sqliteFacts } from './facts.js';
import { lowerSqlite } from './lower.js';
import { parseSqlite } from './parser.js';
import { quoteIdent, quoteLiteral } from './quote.js';
import { ASSUMED_SQLITE_VERSION, parseSqliteVersion } from './version.js';
import { notImplemented } from './not-implemented.js';
import type * as LoadedDriver from './driver.js';
import type * as LoadedValidationModule from './validate/index.js';
import { sqliteReads } from './reads.js';
import { sqliteSteps } from './steps/runner.js';
import { comparableSnapshot } from './validate/comparable.js';
import { describeSqliteTarget, SQLITE_FILE_EXTENSIONS, SQLITE_URL_SCHEMES } from './url.js';

// The driver half: better-sqlite3 (a native module) loads on first use, as the other dialects' clients do.
type Loaded = typeof LoadedDriver;
let loading: Promise<Loaded> | undefined;
const load = async (): Promise<Loaded> => (loading ??= import('./driver.js'));

type LoadedValidation = typeof LoadedValidationModule;
let loadingValidation: Promise<LoadedValidation> | undefined;
const validationDriver = async () =>
  (await (loadingValidation ??= import('./validate/index.js'))).sqliteValidation;

const validation: ValidationDriver = {
  loadSchema: async (session, source) => (await validationDriver()).loadSchema(session, source),
  runAsWritten: async (session, files) => (await validationDriver()).runAsWritten(session, files),
  traceStep: async (session, step, options) => (await validationDriver()).traceStep(session, step, options),
  comparable: comparableSnapshot,
  readNullFractions: async (session) => (await validationDriver()).readNullFractions(session),
  synthesizeRows: async (session, snapshot, rows, options) =>
    (await validationDriver()).synthesizeRows(session, snapshot, rows, options),
  copySample: async (source, target, snapshot, rows) =>
    (await validationDriver()).copySample(source, target, snapshot, rows),
  checkIntegrity: async (session) => (await validationDriver()).checkIntegrity?.(session) ?? [],
};

const driver: DialectDriver = {
  describeTarget: describeSqliteTarget,
  connect: async (url, options) => (await load()).connect(url, options),
  serverVersion: async (session) => (await load()).serverVersion(session),
  inspect: async (url, options) => (await load()).inspect(url, options),
  introspect: async (session, options) => (await load()).introspect(session, options),
  steps: sqliteSteps,
  validation,
  live: {
    measureTables: async (session, snapshot, tables) => (await load()).live.measureTables(session, snapshot, tables),
    functionVolatility: async (session, names) => (await load()).live.functionVolatility(session, names),
  },
  reads: sqliteReads,
};

const scratch: ScratchProvider = {
  open: async (options) => (await import('./scratch/provider.js')).sqliteScratch.open(options),
};

function engine(defaultSchema: string): Engine {
  return {
    dialect: 'sqlite',
    parse: parseSqlite,
    lower: lowerSqlite,
    facts: sqliteFacts,
    quote: {
      ident: quoteIdent,
      table: (qualified) => {
        const dot = qualified.indexOf('.');
        const schema = qualified.slice(0, dot);
        const name = qualified.slice(dot + 1);
        return schema === defaultSchema ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
      },
      literal: quoteLiteral,
    },
  };
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  title: 'SQLite',
  urlSchemes: SQLITE_URL_SCHEMES,
  fileExtensions: SQLITE_FILE_EXTENSIONS,
  language: {
    load: () => Promise.resolve(),
    // TODO: the schema (database) unqualified names resolve to.
    defaultSchema: 'main',
    engine,
    parseVersion: parseSqliteVersion,
    snapshotVersion: (snapshot) => parseSqliteVersion(snapshot.serverVersion, 'the snapshot'),
    factKey: () => notImplemented('version keys for facts', 'index.ts'),
    assumedVersion: { version: ASSUMED_SQLITE_VERSION, words: `SQLite ${ASSUMED_SQLITE_VERSION.text}` },
    // TODO: each one checked against the vendor's documentation and a real server.
    capabilities: {
      transactionalDdl: false,
      concurrentIndexBuilds: false,
      notValidConstraints: false,
      lockTimeout: false,
      maxIdentifierBytes: 64,
    },
  },
  driver,
  scratch,
};
