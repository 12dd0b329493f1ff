/**
 * Trace: what one statement really does on a PostgreSQL server. The locks it takes on each
 * relation, the tables it rewrites (relfilenode changes), the indexes it builds or rebuilds and
 * the tables it scans. Used by test/facts to check every fact of dialects/postgres/facts.ts,
 * and meant for `schemapilot validate` on a scratch database. Never point it at production:
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
import type {
  IndexRef,
  RelationKind,
  StatementTrace,
  TableScans,
  TracedLock,
} from '../../../core/dialect/validation.js';
import { lockModeFromPgLocks, lockStrength } from '../../../core/locks.js';

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

interface RelationRow {
  oid: string;
  schema: string;
  name: string;
  kind: string;
  filenode: string;
  bytes: string;
  index_table: string | null;
}

interface Relation {
  oid: string;
  qualified: string;
  kind: RelationKind;
  filenode: string;
  /** Size of the main fork: 0 right after TRUNCATE. */
  bytes: number;
  /** For an index: its table, qualified. */
  table: string | null;
}

type Relations = Map<string, Relation>;

const KINDS: Record<string, RelationKind> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  i: 'index',
  I: 'partitioned index',
  S: 'sequence',
};

/**
 * User schemas only: catalogs are locked and scanned by every statement, and TOAST tables and
 * temporary tables (REFRESH … CONCURRENTLY makes one) follow their owners.
 */
const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))`;

/**
 * Every user relation with its file and size: cheap on a scratch database, and takes no locks
 * (pg_relation_size reads the file's length; a relation dropped meanwhile gives NULL).
 */
async function readRelations(client: pg.Client, schemas: readonly string[] | null): Promise<Relations> {
  const { rows } = await client.query<RelationRow>(
    `SELECT c.oid::text AS oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
            c.relfilenode::text AS filenode,
            coalesce(CASE WHEN c.relkind IN ('r', 'm') THEN pg_catalog.pg_relation_size(c.oid) END, 0)::text AS bytes,
            tn.nspname || '.' || t.relname AS index_table
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
     LEFT JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
     LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'i', 'I', 'S') AND ${USER_SCHEMA}`,
    [schemas],
  );
  return new Map(
    rows.map((r) => [
      r.oid,
      {
        oid: r.oid,
        qualified: `${r.schema}.${r.name}`,
        kind: KINDS[r.kind] ?? 'other',
        filenode: r.filenode,
        bytes: Number(r.bytes),
        table: r.index_table,
      },
    ]),
  );
}

interface LockRow {
  oid: string;
  mode: string;
  granted: boolean;
  schema: string | null;
  name: string | null;
  kind: string | null;
  system: boolean;
}

/**
 * Relation locks of one backend in this database, granted or waiting. A relation the statement
 * dropped no longer has a pg_class row (its name comes from the snapshot taken before); a
 * relation it created has one only once visible to the reader.
 */
async function readLocks(
  client: pg.Client,
  pid: number,
  schemas: readonly string[] | null,
): Promise<LockRow[]> {
  const { rows } = await client.query<LockRow>(
    `SELECT l.relation::text AS oid, l.mode, l.granted, n.nspname::text AS schema, c.relname::text AS name,
            c.relkind::text AS kind, (c.oid IS NOT NULL AND NOT (${USER_SCHEMA})) AS system
     FROM pg_catalog.pg_locks l
     LEFT JOIN pg_catalog.pg_class c ON c.oid = l.relation
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE l.locktype = 'relation' AND l.pid = $2
       AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())`,
    [schemas, pid],
  );
  return rows;
}

/** Wait events of type Lock cover relation, tuple, transaction and virtualxid waits. */
async function isWaitingForLock(client: pg.Client, pid: number): Promise<boolean> {
  const { rows } = await client.query<{ waiting: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE pid = $1 AND NOT granted) AS waiting`,
    [pid],
  );
  return rows[0]?.waiting ?? false;
}

/** The strongest mode per relation over every sample. */
class LockAccumulator {
  private readonly byOid = new Map<string, TracedLock>();
  constructor(private readonly before: Relations) {}

  add(rows: readonly LockRow[]): void {
    for (const row of rows) {
      const mode = lockModeFromPgLocks(row.mode);
      const known = this.before.get(row.oid);
      if (!mode || row.system) continue;
      // Neither in the snapshot nor visible now: a catalog we filtered, or a relation created
      // and dropped within the statement.
      if (!known && row.name === null) continue;
      const lock: TracedLock = {
        relation: known?.qualified ?? `${row.schema ?? ''}.${row.name ?? ''}`,
        kind: known?.kind ?? KINDS[row.kind ?? ''] ?? 'other',
        mode,
        granted: row.granted,
        existedBefore: known !== undefined,
      };
      const seen = this.byOid.get(row.oid);
      if (!seen || lockStrength(mode) > lockStrength(seen.mode)) this.byOid.set(row.oid, lock);
      else if (seen.mode === mode && row.granted) seen.granted = true;
    }
  }

  result(): TracedLock[] {
    return [...this.byOid.values()].sort((a, b) =>
      a.relation < b.relation ? -1 : a.relation > b.relation ? 1 : 0,
    );
  }
}

function storageChanges(
  before: Relations,
  after: Relations,
): Pick<StatementTrace, 'rewrittenTables' | 'emptiedTables' | 'rebuiltIndexes' | 'createdIndexes'> {
  const afterByName = new Map([...after.values()].map((r) => [r.qualified, r]));
  const beforeByName = new Map([...before.values()].map((r) => [r.qualified, r]));
  const rewrittenTables: string[] = [];
  const emptiedTables: string[] = [];
  const rebuiltIndexes: IndexRef[] = [];
  const createdIndexes: IndexRef[] = [];
  for (const old of before.values()) {
    const now = after.get(old.oid) ?? (old.kind === 'index' ? afterByName.get(old.qualified) : undefined);
    if (!now || now.filenode === old.filenode) continue;
    if (old.kind === 'table' || old.kind === 'materialized view')
      (now.bytes === 0 && old.bytes > 0 ? emptiedTables : rewrittenTables).push(old.qualified);
    if (old.kind === 'index') rebuiltIndexes.push({ index: old.qualified, table: old.table ?? '' });
  }
  for (const now of after.values()) {
    if (now.kind !== 'index' || before.has(now.oid) || beforeByName.has(now.qualified)) continue;
    createdIndexes.push({ index: now.qualified, table: now.table ?? '' });
  }
  // An emptied table's indexes start over empty: nothing was read to build them.
  const emptied = new Set(emptiedTables);
  return {
    rewrittenTables: rewrittenTables.sort(),
    emptiedTables: emptiedTables.sort(),
    rebuiltIndexes: rebuiltIndexes.filter((i) => !emptied.has(i.table)),
    createdIndexes,
  };
}

interface ScanRow {
  oid: string;
  seq: string;
  idx: string;
  blocks: string;
}

type ScanCounters = Map<string, { seq: number; idx: number; blocks: number }>;

async function readScanCounters(client: pg.Client): Promise<ScanCounters> {
  const { rows } = await client.query<ScanRow>(
    `SELECT relid::text AS oid, seq_scan::text AS seq, coalesce(idx_scan, 0)::text AS idx,
            pg_catalog.pg_stat_get_xact_blocks_fetched(relid)::text AS blocks
     FROM pg_catalog.pg_stat_xact_user_tables`,
  );
  return new Map(
    rows.map((r) => [r.oid, { seq: Number(r.seq), idx: Number(r.idx), blocks: Number(r.blocks) }]),
  );
}

function scanDifferences(before: Relations, start: ScanCounters, end: ScanCounters): TableScans[] {
  const out: TableScans[] = [];
  for (const [oid, e] of end) {
    const relation = before.get(oid);
    if (!relation) continue;
    const s = start.get(oid) ?? { seq: 0, idx: 0, blocks: 0 };
    const scans = {
      table: relation.qualified,
      seqScans: e.seq - s.seq,
      indexScans: e.idx - s.idx,
      blocksFetched: e.blocks - s.blocks,
    };
    if (scans.seqScans > 0 || scans.indexScans > 0 || scans.blocksFetched > 0) out.push(scans);
  }
  return out.sort((a, b) => (a.table < b.table ? -1 : 1));
}
