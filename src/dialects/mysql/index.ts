/**
 * MySQL and MariaDB as an implementation of the dialect contract (src/core/dialect). The
 * `mysql2` client loads on first use (driver.ts), as PostgreSQL's `pg` does.
 */
import { lazyValidation } from '../../core/dialect/validation.js';
import type { Dialect, DialectDriver, ScratchProvider } from '../../core/dialect/index.js';
import { MYSQL_CAPABILITIES } from './capabilities.js';
import type * as LoadedDriver from './driver.js';
import { mysqlDeploy } from './deploy/index.js';
import type * as LoadedValidationModule from './validate/index.js';
import { mysqlEngine } from './engine.js';
import { mysqlPlannerDialect } from './plan-sql.js';
import { mysqlReads } from './reads.js';
import { MYSQL_SAFE_SQL } from './safe-sql/index.js';
import { loadMysqlParser } from './parser.js';
import { mysqlQueryShape } from './query-shape.js';
import { mysqlSteps } from './steps/runner.js';
import { comparableSnapshot } from './validate/comparable.js';
import { describeMysqlTarget } from './url.js';
import { mysqlFactKey, parseMysqlVersion } from './version.js';

type Loaded = typeof LoadedDriver;
let loading: Promise<Loaded> | undefined;
async function load(): Promise<Loaded> {
  loading ??= import('./driver.js');
  return loading;
}

type LoadedValidation = typeof LoadedValidationModule;
let loadingValidation: Promise<LoadedValidation> | undefined;

/** Loads `mysql2` and the validate folder on first use, as the driver does. */
const validation = lazyValidation(
  async () => (await (loadingValidation ??= import('./validate/index.js'))).mysqlValidation,
  { comparable: comparableSnapshot },
);

const scratch: ScratchProvider = {
  open: async (options) => (await import('./scratch/provider.js')).mysqlScratch.open(options),
};

const driver: DialectDriver = {
  describeTarget: describeMysqlTarget,
  connect: async (url, options) => (await load()).connect(url, options),
  serverVersion: async (session) => (await load()).serverVersion(session),
  inspect: async (url, options) => (await load()).inspect(url, options),
  introspect: async (session, options) => (await load()).introspect(session, options),
  steps: mysqlSteps,
  deploy: mysqlDeploy,
  validation,
  reads: mysqlReads,
  impact: {
    prepare: async (session, sql, parameters) => (await load()).impact.prepare(session, sql, parameters),
  },
};

/** MySQL 8.4 (the LTS the brief was tested on) when nothing says which server. */
const ASSUMED = parseMysqlVersion('8.4.0');

export const mysqlDialect: Dialect = {
  name: 'mysql',
  title: 'MySQL/MariaDB',
  urlSchemes: ['mysql', 'mariadb'],
  language: {
    fileClient: 'the mysql client',
    load: loadMysqlParser,
    // Unqualified names live in the connection's database; with none known, this placeholder.
    defaultSchema: 'default',
    defaultSchemaOf: (snapshot) => (snapshot?.database ? snapshot.database : undefined),
    engine: mysqlEngine,
    parseVersion: parseMysqlVersion,
    snapshotVersion: (snapshot) => parseMysqlVersion(snapshot.serverVersion, 'snapshot'),
    factKey: mysqlFactKey,
    assumedVersion: { version: ASSUMED, words: 'MySQL 8.4' },
    capabilities: MYSQL_CAPABILITIES,
    planner: mysqlPlannerDialect,
    queryShape: mysqlQueryShape,
  },
  safeSql: MYSQL_SAFE_SQL,
  driver,
  scratch,
};
