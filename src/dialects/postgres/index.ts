/**
 * PostgreSQL as an implementation of the dialect contract (src/core/dialect). The rest of the
 * engine reaches PostgreSQL only through this object, handed out by src/dialects/index.ts.
 */
import { lazyValidation } from '../../core/dialect/validation.js';
import type { Dialect, DialectDriver, SessionProbes } from '../../core/dialect/index.js';
import { POSTGRES_CAPABILITIES, POSTGRES_SAFE_SQL } from './capabilities.js';
import { describeTarget } from './conninfo.js';
import type * as LoadedDriver from './driver.js';
import { postgresBackfill } from './deploy/backfill.js';
import { postgresDeployErrors } from './deploy/errors.js';
import { postgresJournal } from './deploy/journal.js';
import { postgresLeftovers } from './deploy/leftovers.js';
import { postgresDeployLock } from './deploy/lock.js';
import { postgresIncidentWords } from '../../deploy/incident/sql.js';
import { postgresEngine } from './engine.js';
import { flywayCanRunInTransaction } from './flyway.js';
import { postgresLive } from './live.js';
import { loadPostgresParser } from './parser.js';
import { postgresPlannerDialect } from './plan-sql.js';
import { postgresQueryShape } from './query-shape.js';
import { postgresReads } from './reads.js';
import { postgresSteps } from './steps/runner.js';
import { isFixedUtcZone } from './time-zone.js';
import {
  ASSUMED_POSTGRES_VERSION,
  parsePostgresVersion,
  postgresMajor,
  postgresVersionFromNum,
} from './version.js';

// The `pg` client and the embedded server load on first use (driver.ts says why).
type Loaded = typeof LoadedDriver;
let loading: Promise<Loaded> | undefined;
let loaded: Loaded | undefined;
async function load(): Promise<Loaded> {
  loading ??= import('./driver.js').then((module) => (loaded = module));
  return loading;
}
/** For the synchronous members: every one takes a session, and opening it loaded the module. */
function alreadyLoaded(): Loaded {
  if (!loaded) throw new Error('the PostgreSQL driver is used before any session was opened');
  return loaded;
}

const probes: SessionProbes = {
  identify: async (session) => (await load()).probes.identify(session),
  sample: async (observer, pid) => (await load()).probes.sample(observer, pid),
  cancel: async (observer, pid) => (await load()).probes.cancel(observer, pid),
  isWorking: async (observer, pid) => (await load()).probes.isWorking(observer, pid),
  keepWaitingWhile: (session, keepWaiting) => alreadyLoaded().probes.keepWaitingWhile(session, keepWaiting),
  terminate: async (observer, pid, started) => (await load()).probes.terminate(observer, pid, started),
  readOnly: async (session) => (await load()).probes.readOnly(session),
};

const validation = lazyValidation(async () => (await load()).validation);

const driver: DialectDriver = {
  describeTarget,
  connect: async (url, options) => (await load()).sessions.connect(url, options),
  serverVersion: async (session) => (await load()).sessions.serverVersion(session),
  inspect: async (url, options) => (await load()).sessions.inspect(url, options),
  introspect: async (session, options) => (await load()).sessions.introspect(session, options),
  steps: postgresSteps,
  validation,
  live: postgresLive,
  impact: {
    prepare: async (session, sql, parameters) => (await load()).impact.prepare(session, sql, parameters),
    prepareAll: async (session, queries) => {
      const { impact } = await load();
      if (!impact.prepareAll) throw new Error('the PostgreSQL query checker cannot prepare in batches');
      return impact.prepareAll(session, queries);
    },
  },
  deploy: {
    journal: postgresJournal,
    lock: postgresDeployLock,
    probes,
    backfill: postgresBackfill,
    leftovers: postgresLeftovers,
    errors: postgresDeployErrors,
    incident: postgresIncidentWords,
  },
  reads: postgresReads,
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  title: 'PostgreSQL',
  urlSchemes: ['postgres', 'postgresql'],
  language: {
    fileClient: 'psql -f',
    load: loadPostgresParser,
    defaultSchema: 'public',
    engine: postgresEngine,
    parseVersion: parsePostgresVersion,
    snapshotVersion: (snapshot) => postgresVersionFromNum(snapshot.serverVersionNum),
    factKey: postgresMajor,
    assumedVersion: {
      version: ASSUMED_POSTGRES_VERSION,
      words: `PostgreSQL ${ASSUMED_POSTGRES_VERSION.text}`,
    },
    capabilities: POSTGRES_CAPABILITIES,
    planner: postgresPlannerDialect,
    isFixedUtcZone,
    flyway: { canRunInTransaction: flywayCanRunInTransaction },
    queryShape: postgresQueryShape,
  },
  safeSql: POSTGRES_SAFE_SQL,
  driver,
  scratch: { open: async (options) => (await load()).scratch.open(options) },
};
