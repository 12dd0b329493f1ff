/**
 * The parts of PostgreSQL's driver that load the `pg` client and the embedded server: imported
 * by index.ts on first use, so that `analyze` and `plan` (which never connect) do not pay for
 * them at startup (bench/RESULTS.md, analyze: whole-process time).
 */
import type { DialectDriver, SessionProbes, ValidationDriver } from '../../core/dialect/index.js';
import type { ScratchProvider } from '../../core/dialect/scratch.js';
import type { QueryChecker } from '../../core/dialect/impact.js';
import { connectPostgres } from './connect.js';
import { postgresProbes } from './deploy/probes.js';
import { postgresQueryChecker } from './impact.js';
import { inspectPostgres, introspectPostgres } from './introspect.js';
import { openScratchServer } from './scratch/scratch.js';
import { pgClient, PostgresSession } from './session.js';
import { postgresValidation } from './validate/index.js';
import { postgresVersionFromNum } from './version.js';

export const sessions: Pick<DialectDriver, 'connect' | 'serverVersion' | 'inspect' | 'introspect'> = {
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
};

export const probes: SessionProbes = postgresProbes;
export const validation: ValidationDriver = postgresValidation;
export const scratch: ScratchProvider = { open: openScratchServer };
export const impact: QueryChecker = postgresQueryChecker;
