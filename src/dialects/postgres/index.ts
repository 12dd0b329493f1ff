/**
 * PostgreSQL as an implementation of the dialect contract (src/core/dialect). The rest of the
 * engine reaches PostgreSQL only through this object, handed out by src/dialects/index.ts.
 */
import type { Dialect, DialectDriver } from '../../core/dialect/index.js';
import { POSTGRES_CAPABILITIES, POSTGRES_SAFE_SQL } from './capabilities.js';
import { connectPostgres, describeTarget } from './connect.js';
import { postgresDeploy } from './deploy/index.js';
import { postgresEngine } from './engine.js';
import { flywayCanRunInTransaction } from './flyway.js';
import { inspectPostgres, introspectPostgres } from './introspect.js';
import { postgresLive } from './live.js';
import { loadPostgresParser } from './parser.js';
import { postgresPlannerDialect } from './plan-sql.js';
import { openScratchServer } from './scratch/scratch.js';
import { pgClient, PostgresSession } from './session.js';
import { postgresValidation } from './validate/index.js';
import { postgresSteps } from './steps/runner.js';
import { isFixedUtcZone } from './time-zone.js';
import {
  ASSUMED_POSTGRES_VERSION,
  parsePostgresVersion,
  postgresMajor,
  postgresVersionFromNum,
} from './version.js';

const driver: DialectDriver = {
  describeTarget,
  async connect(url, options) {
    const client = await connectPostgres(url, options);
    if (options.readOnly) {
      // The contract's read-only: every transaction of the session defaults to READ ONLY, so the
      // server refuses a write whatever the query.
      try {
        await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
    }
    return new PostgresSession(client);
  },
  async serverVersion(session) {
    const row = (
      await pgClient(session).query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)
    ).rows[0];
    return postgresVersionFromNum(Number(row?.v));
  },
  inspect: (url, options) => inspectPostgres(url, options?.schemas ? { schemas: options.schemas } : {}),
  introspect(session, options) {
    return introspectPostgres(pgClient(session), options?.schemas ? { schemas: options.schemas } : {});
  },
  steps: postgresSteps,
  validation: postgresValidation,
  live: postgresLive,
  deploy: postgresDeploy,
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  title: 'PostgreSQL',
  language: {
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
  },
  safeSql: POSTGRES_SAFE_SQL,
  driver,
  scratch: { open: openScratchServer },
};
