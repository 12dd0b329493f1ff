/**
 * What the watchdog and the lost-connection cleanup ask the server about sessions: who blocks
 * our deploy backend and who waits on it (pg_blocking_pids), cancelling and ending a backend,
 * and whether a silent backend is still working.
 * https://www.postgresql.org/docs/current/functions-info.html (pg_blocking_pids)
 */
import type { SessionProbes } from '../../../core/dialect/deploy.js';
import type { SessionInfo } from '../../../core/deploy.js';
import { queryDeadline, setQueryDeadline } from '../connect.js';
import { pgClient } from '../session.js';

interface ActivityRow {
  pid: number;
  user: string | null;
  application: string | null;
  client: string | null;
  state: string | null;
  query: string | null;
  xact_ms: string | null;
  wait: string | null;
  query_ms: string | null;
  waits_on_us: boolean;
  blocks_us: boolean;
}

// Only client backends count: autovacuum yields to us by itself, and parallel workers follow
// their leader.
const ACTIVITY = `
SELECT a.pid, a.usename::text AS user, a.application_name AS application, a.client_addr::text AS client,
       a.state, left(a.query, 1000) AS query,
       (extract(epoch FROM now() - a.xact_start) * 1000)::bigint::text AS xact_ms,
       CASE WHEN a.wait_event_type IS NOT NULL THEN a.wait_event_type || ': ' || a.wait_event END AS wait,
       (extract(epoch FROM now() - a.query_start) * 1000)::bigint::text AS query_ms,
       $1::int = ANY (pg_catalog.pg_blocking_pids(a.pid)) AS waits_on_us,
       a.pid = ANY (pg_catalog.pg_blocking_pids($1::int)) AS blocks_us
FROM pg_catalog.pg_stat_activity a
WHERE a.pid <> pg_catalog.pg_backend_pid() AND a.backend_type = 'client backend'
  AND ($1::int = ANY (pg_catalog.pg_blocking_pids(a.pid)) OR a.pid = ANY (pg_catalog.pg_blocking_pids($1::int)))`;

function toSession(r: ActivityRow): SessionInfo {
  return {
    pid: r.pid,
    user: r.user,
    application: r.application,
    clientAddress: r.client,
    state: r.state,
    query: r.query,
    transactionAgeMs: r.xact_ms === null ? null : Number(r.xact_ms),
    waitEvent: r.wait,
  };
}

export const postgresProbes: SessionProbes = {
  async identify(session) {
    const { rows } = await pgClient(session).query<{ pid: number; started: string }>(
      `SELECT pid, backend_start::text AS started FROM pg_catalog.pg_stat_activity WHERE pid = pg_catalog.pg_backend_pid()`,
    );
    return { pid: rows[0]?.pid ?? 0, started: rows[0]?.started ?? '' };
  },

  async sample(observer, pid) {
    const { rows } = await pgClient(observer).query<ActivityRow>(ACTIVITY, [pid]);
    return {
      blockers: rows.filter((r) => r.blocks_us).map(toSession),
      waiting: rows
        .filter((r) => r.waits_on_us)
        .map((r) => ({ session: toSession(r), waitedMs: Number(r.query_ms ?? 0) })),
    };
  },

  async cancel(observer, pid) {
    await pgClient(observer)
      .query('SELECT pg_catalog.pg_cancel_backend($1)', [pid])
      .catch(() => undefined);
  },

  /**
   * Active and not stuck writing its answer to us (`ClientWrite`) means a long statement on a
   * healthy connection; anything else means the deploy connection is stuck.
   */
  async isWorking(observer, pid) {
    const { rows } = await pgClient(observer).query<{ working: boolean }>(
      `SELECT state = 'active' AND wait_event IS DISTINCT FROM 'ClientWrite' AS working
         FROM pg_catalog.pg_stat_activity WHERE pid = $1`,
      [pid],
    );
    return rows[0]?.working === true;
  },

  keepWaitingWhile(session, keepWaiting) {
    const client = pgClient(session);
    setQueryDeadline(client, queryDeadline(client), keepWaiting);
  },

  async terminate(observer, pid, started) {
    const client = pgClient(observer);
    await client.query(
      `SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity
        WHERE pid = $1 AND backend_start::text = $2`,
      [pid, started],
    );
    // Its transaction is rolled back as it exits; the caller reads the journal after that.
    for (let i = 0; i < 40; i++) {
      const { rows } = await client.query('SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = $1', [pid]);
      if (rows.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  },

  async readOnly(session) {
    await pgClient(session).query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
  },
};
