/**
 * Trace: what one statement really does on a PostgreSQL server. The locks it takes on each
 * relation, the tables it rewrites (relfilenode changes), the indexes it builds or rebuilds and
 * the tables it scans. Used by test/facts to check every fact of dialects/postgres/facts.ts,
 * and by `schemapilot validate` on a scratch database (step.ts). Never point it at production:
 * it runs the statement.
 *
 * How each thing is measured (docs/decisions/0005-how-facts-are-verified.md):
 * - Locks: `pg_locks` rows of the statement's backend, relation locks only, granted or waiting.
 *   A lock is held until its transaction ends, so for a statement inside a transaction block
 *   reading them after the statement sees them all.
 *   https://www.postgresql.org/docs/current/view-pg-locks.html
 * - Rewrites and index rebuilds: `pg_class.relfilenode` before and after. A rewrite writes the
 *   table into a new file; a rebuilt index gets a new file too. Indexes are matched by name as
 *   well as by oid, because ALTER COLUMN TYPE drops and re-creates them under the same name,
 *   reusing the old file when the index stays valid (then nothing was rebuilt). A table that
 *   had data and whose new file is empty was emptied (TRUNCATE), not rewritten: nothing was
 *   copied, and its indexes' new files are empty too, so they do not count as rebuilt. A table
 *   empty before and after is counted as rewritten: the two cannot be told apart there.
 *   https://www.postgresql.org/docs/current/storage-file-layout.html
 * - Scans: `pg_stat_xact_user_tables` (seq_scan, idx_scan) and
 *   `pg_stat_get_xact_blocks_fetched`, before and after, on the same connection and in the
 *   same transaction. These counters include the backend's not-yet-reported activity, so their
 *   difference is exactly what the statement did. A sequential scan is counted for every heap
 *   scan: ALTER TABLE validation (CHECK, NOT NULL, a cast), foreign key validation, index
 *   builds and the read side of a rewrite all add one.
 *   https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ALL-TABLES-VIEW
 *
 * Statements that cannot run in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …) run
 * on their own connection while "blocker" connections hold conflicting locks; a monitor
 * connection samples the statement's locks by pid while it waits, then releases the blockers
 * one by one. Scan counters cannot be read there: the statement commits its own transactions
 * and another backend cannot see its counters until they are reported.
 */
import type pg from 'pg';
import type { StatementTrace } from '../../../core/dialect/validation.js';
import { lockStrength } from '../../../core/locks.js';
import {
  isWaitingForLock,
  LockAccumulator,
  readLocks,
  readRelations,
  readScanCounters,
  scanDifferences,
  storageChanges,
} from './trace-catalog.js';

export type {
  IndexRef,
  RelationKind,
  StatementTrace,
  TableScans,
  TracedLock,
} from '../../../core/dialect/validation.js';

export interface TransactionTraceOptions {
  mode?: 'transaction';
  /** End with COMMIT instead of ROLLBACK (the default, which leaves the database unchanged). */
  commit?: boolean;
  /** Upper bound on the statement and on any lock wait, in ms (default 10 s). */
  timeoutMs?: number;
  /** Only relations in these schemas are measured (default: every non-system schema). */
  schemas?: readonly string[];
}

export interface BlockedTraceOptions {
  mode: 'blocked';
  /** Opens another connection to the same database, for the blockers and the monitor. */
  connect: () => Promise<pg.Client>;
  /**
   * SQL each blocker runs in a transaction it keeps open (`LOCK TABLE t IN ROW EXCLUSIVE
   * MODE`). The statement then stops at the first lock that conflicts; each time it is seen
   * waiting the next blocker is rolled back, in order.
   */
  blockers: readonly string[];
  /** Upper bound on the statement and on every wait, in ms (default 10 s). */
  timeoutMs?: number;
  schemas?: readonly string[];
}

export type TraceOptions = TransactionTraceOptions | BlockedTraceOptions;

/** The statement failed, timed out, or the trace could not observe it. */
export class TraceError extends Error {
  constructor(
    message: string,
    /** SQLSTATE of the server error, when there was one. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TraceError';
  }
}

/**
 * Run `sql` and measure what it did. In `transaction` mode (the default) it runs inside
 * BEGIN … ROLLBACK on `client`; in `blocked` mode it runs on its own on `client`, for statements
 * that refuse a transaction block. A statement error becomes a TraceError carrying its SQLSTATE.
 */
export async function traceStatement(
  client: pg.Client,
  sql: string,
  options: TraceOptions = {},
): Promise<StatementTrace> {
  return options.mode === 'blocked'
    ? traceBlocked(client, sql, options)
    : traceInTransaction(client, sql, options);
}

/**
 * Trace one statement of a transaction the caller opened (BEGIN) and will end: `validate` runs a
 * plan step's statements together, as deploy will. Locks are told apart from the earlier
 * statements' by reading the backend's locks before and after. The statement's error becomes a
 * TraceError; the transaction is then aborted and the caller must ROLLBACK.
 */
export async function traceInOpenTransaction(
  client: pg.Client,
  sql: string,
  options: { schemas?: readonly string[] } = {},
): Promise<StatementTrace> {
  const schemas = options.schemas ?? null;
  const pid = await backendPid(client);
  const before = await readRelations(client, schemas);
  const earlier = new LockAccumulator(before);
  earlier.add(await readLocks(client, pid, schemas));
  const heldBefore = earlier.result();
  const scansBefore = await readScanCounters(client);
  try {
    await client.query(sql);
  } catch (error) {
    throw new TraceError(`statement failed: ${(error as Error).message}`, sqlState(error), {
      cause: error,
    });
  }
  const held = await readLocks(client, pid, schemas);
  const after = await readRelations(client, schemas);
  const scansAfter = await readScanCounters(client);
  const strongestBefore = new Map(heldBefore.map((l) => [l.relation, lockStrength(l.mode)]));
  const locks = new LockAccumulator(before);
  locks.add(held);
  return {
    sql,
    inTransaction: true,
    locks: locks.result().filter((l) => (strongestBefore.get(l.relation) ?? -1) < lockStrength(l.mode)),
    ...storageChanges(before, after),
    scans: scanDifferences(before, scansBefore, scansAfter),
    waits: 0,
    heldBefore,
  };
}

/**
 * Whether the server accepts the statement inside a transaction block. The statement runs
 * inside BEGIN … ROLLBACK: only SQLSTATE 25001 (active_sql_transaction, "cannot run inside a
 * transaction block") means no; any other error is thrown.
 */
export async function acceptsTransactionBlock(client: pg.Client, sql: string): Promise<boolean> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    return true;
  } catch (error) {
    if (sqlState(error) === ACTIVE_SQL_TRANSACTION) return false;
    throw error;
  } finally {
    await client.query('ROLLBACK');
  }
}

const ACTIVE_SQL_TRANSACTION = '25001';
const DEFAULT_TIMEOUT_MS = 10_000;

async function traceInTransaction(
  client: pg.Client,
  sql: string,
  options: TransactionTraceOptions,
): Promise<StatementTrace> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await client.query('BEGIN');
  let finished = false;
  try {
    // Integers only, so interpolation is safe; SET takes no parameters.
    await client.query(`SET LOCAL lock_timeout = ${Math.round(timeoutMs)}`);
    await client.query(`SET LOCAL statement_timeout = ${Math.round(timeoutMs)}`);
    // A fresh transaction holds no relation lock yet: everything measured is the statement's.
    const { heldBefore: _none, ...trace } = await traceInOpenTransaction(client, sql, options);
    await client.query(options.commit ? 'COMMIT' : 'ROLLBACK');
    finished = true;
    return trace;
  } finally {
    if (!finished) await client.query('ROLLBACK').catch(() => undefined);
  }
}

async function traceBlocked(
  client: pg.Client,
  sql: string,
  options: BlockedTraceOptions,
): Promise<StatementTrace> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const schemas = options.schemas ?? null;
  const opened: pg.Client[] = [];
  let resetTimeout = false;
  const open = async () => {
    const c = await options.connect();
    opened.push(c);
    return c;
  };
  try {
    const monitor = await open();
    const blockers: pg.Client[] = [];
    for (const blockerSql of options.blockers) {
      const blocker = await open();
      await blocker.query('BEGIN');
      await blocker.query(blockerSql);
      blockers.push(blocker);
    }
    const pid = await backendPid(client);
    const before = await readRelations(monitor, schemas);
    const locks = new LockAccumulator(before);

    await client.query(`SET statement_timeout = ${Math.round(timeoutMs)}`);
    resetTimeout = true;
    let outcome: { error?: unknown } | undefined;
    const running = client.query(sql).then(
      () => (outcome = {}),
      (error: unknown) => (outcome = { error }),
    );
    const deadline = Date.now() + timeoutMs;
    let waits = 0;
    while (outcome === undefined) {
      const sample = await readLocks(monitor, pid, schemas);
      locks.add(sample);
      if (outcome !== undefined) break;
      if (await isWaitingForLock(monitor, pid)) {
        // Sample again: the first read may have come just before the wait began.
        locks.add(await readLocks(monitor, pid, schemas));
        const next = blockers.shift();
        if (next) {
          waits++;
          await next.query('ROLLBACK');
        }
      }
      if (Date.now() > deadline) {
        await monitor.query('SELECT pg_cancel_backend($1)', [pid]);
        for (const b of blockers) await b.query('ROLLBACK');
        await running;
        throw new TraceError(
          `statement did not finish within ${timeoutMs} ms: it waited for a lock no blocker held, or ran too long`,
        );
      }
      await delay(POLL_MS);
    }
    for (const b of blockers) await b.query('ROLLBACK');
    if (outcome.error !== undefined) {
      throw new TraceError(`statement failed: ${(outcome.error as Error).message}`, sqlState(outcome.error), {
        cause: outcome.error,
      });
    }
    const after = await readRelations(monitor, schemas);
    return {
      sql,
      inTransaction: false,
      locks: locks.result(),
      ...storageChanges(before, after),
      scans: null,
      waits,
    };
  } finally {
    if (resetTimeout) await client.query('RESET statement_timeout').catch(() => undefined);
    await Promise.all(opened.map((c) => c.end().catch(() => undefined)));
  }
}

/** Short enough to catch a lock taken between two waits, long enough not to load the server. */
const POLL_MS = 5;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

async function backendPid(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]?.pid;
  if (pid === undefined) throw new TraceError('could not read the backend pid');
  return pid;
}
