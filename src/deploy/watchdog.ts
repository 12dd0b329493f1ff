/**
 * The watchdog: a second connection that watches our deploy backend while a statement runs.
 * It records who blocks us (for the incident report when lock_timeout fires) and cancels our
 * statement when application sessions have waited behind it longer than `maxBlockingMs`: a
 * DDL statement waiting for its lock queues every later query on the table behind it, so
 * waiting politely still takes the application down. The deploy then retries later.
 * https://www.postgresql.org/docs/current/functions-info.html (pg_blocking_pids)
 */
import type pg from 'pg';
import type { SessionInfo } from '../core/deploy.js';

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

export interface WatchdogOptions {
  /** Cancel our statement once a session has waited on it this long (ms); 0 disables. */
  maxBlockingMs: number;
  intervalMs?: number;
}

export class Watchdog {
  /** Sessions that blocked us at the last sample where any did. */
  blockers: SessionInfo[] = [];
  /** Sessions waiting on us when we cancelled (or at the last sample where any waited). */
  blocked: SessionInfo[] = [];
  /** Whether the current watch cancelled our statement. */
  cancelled = false;
  /** Samples in the current watch in which some session waited on us (backfill throttling). */
  waitSamples = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pid = 0;

  constructor(
    private readonly client: pg.Client,
    private readonly options: WatchdogOptions,
  ) {}

  /** Start watching `pid` (our deploy backend) until stop(). */
  start(pid: number): void {
    this.stop();
    this.pid = pid;
    this.cancelled = false;
    this.waitSamples = 0;
    this.blockers = [];
    this.blocked = [];
    const tick = () => {
      this.running = this.sample().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs ?? 100);
      });
    };
    this.timer = setTimeout(tick, this.options.intervalMs ?? 100);
  }

  /** Stop watching; waits for a sample in flight so the connection is free afterwards. */
  async stopAndSettle(): Promise<void> {
    this.stop();
    await this.running?.catch(() => undefined);
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async sample(): Promise<void> {
    let rows: ActivityRow[];
    try {
      rows = (await this.client.query<ActivityRow>(ACTIVITY, [this.pid])).rows;
    } catch {
      return; // a lost watchdog connection must not fail the deploy; the step's timeouts still hold
    }
    const blockers = rows.filter((r) => r.blocks_us).map(toSession);
    const waiting = rows.filter((r) => r.waits_on_us);
    if (blockers.length > 0) this.blockers = blockers;
    if (waiting.length === 0) return;
    this.waitSamples++;
    this.blocked = waiting.map(toSession);
    const longest = Math.max(...waiting.map((r) => Number(r.query_ms ?? 0)));
    if (
      this.options.maxBlockingMs > 0 &&
      longest > this.options.maxBlockingMs &&
      !this.cancelled &&
      this.timer
    ) {
      this.cancelled = true;
      await this.client.query('SELECT pg_catalog.pg_cancel_backend($1)', [this.pid]).catch(() => undefined);
    }
  }
}

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

/** Who is blocking `pid` right now (for a lock timeout the watchdog sampled too late). */
export async function blockersOf(client: pg.Client, pid: number): Promise<SessionInfo[]> {
  const { rows } = await client.query<ActivityRow>(ACTIVITY, [pid]);
  return rows.filter((r) => r.blocks_us).map(toSession);
}

/**
 * Whether the server is still working on `pid`'s statement: asked when the deploy connection
 * has been silent past its deadline. Active and not stuck writing its answer to us
 * (`ClientWrite`) means a long statement on a healthy connection; anything else, or no answer
 * on this connection either, means the deploy connection is stuck.
 */
export async function backendIsWorking(client: pg.Client | undefined, pid: number): Promise<boolean> {
  if (!client) return false;
  const { rows } = await client.query<{ working: boolean }>(
    `SELECT state = 'active' AND wait_event IS DISTINCT FROM 'ClientWrite' AS working
       FROM pg_catalog.pg_stat_activity WHERE pid = $1`,
    [pid],
  );
  return rows[0]?.working === true;
}
