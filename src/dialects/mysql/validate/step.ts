/**
 * One plan step on a MySQL/MariaDB scratch database, statement by statement as deploy runs it
 * (steps/runner.ts: its timeouts, then its SQL, in a transaction only for plain DML), each
 * statement traced:
 *
 * - DDL (outside a transaction, where MySQL runs it anyway) through traceMysqlStatement: the
 *   InnoDB evidence of its algorithm and rebuild, a writer and a reader probing the table on
 *   other sessions, and its metadata locks sampled while it runs. The writer is
 *   `DELETE … WHERE 1 = 0`: it needs the same metadata lock as any write (SHARED_WRITE) and
 *   changes no row, so the scratch data stays what the intent and rollback checks expect.
 * - DML of a transactional step: its metadata locks are read after it, from another session
 *   (they are held until COMMIT, so none is missed).
 */
import type { Change } from '../../../core/change.js';
import { changeTable } from '../../../core/change.js';
import type {
  RelationKind,
  StatementTrace,
  StepTrace,
  StepTraceOptions,
  TracedStatement,
} from '../../../core/dialect/validation.js';
import type { PlanStep } from '../../../core/plan.js';
import { connectMysql } from '../connect.js';
import { lowerMysql } from '../lower.js';
import { loadMysqlParser, parseMysql } from '../parser.js';
import { quoteMysqlIdent as q } from '../quote.js';
import type { MysqlSession } from '../session.js';
import { logicalNameOf } from '../scratch/names.js';
import { mysqlSteps } from '../steps/runner.js';
import { guardScratchSession } from '../scratch/guard.js';
import { sampleMetadataLocks } from '../trace/evidence.js';
import { traceMysqlStatement } from '../trace/trace.js';
import { sqlStateOf } from './load.js';
import { metadataLockMode, toStatementTrace } from './trace-map.js';

/** Session settings (the step's timeouts) run untraced: they touch no table. */
const SESSION_SETTING = /^\s*SET\s+(SESSION\s+|LOCAL\s+|@@(session|local)\.)?\w+\s*=/i;
const BLOCKED_MIN_MS = 50;

export async function traceStep(
  session: MysqlSession,
  step: PlanStep,
  options: StepTraceOptions,
): Promise<StepTrace> {
  await loadMysqlParser();
  const scratch = await currentDatabase(session);
  const logical = logicalNameOf(scratch);
  const names = {
    toScratch: (t: string) => (t.startsWith(`${logical}.`) ? `${scratch}${t.slice(logical.length)}` : t),
    toLogical: (t: string) => (t.startsWith(`${scratch}.`) ? `${logical}${t.slice(scratch.length)}` : t),
  };
  const mariadb = session.version.product === 'mariadb';
  const statements: TracedStatement[] = [];
  let open = false;
  try {
    // As the runner does on MariaDB: max_statement_time too (the text form cannot know the server).
    if (mariadb && step.statementTimeoutMs > 0)
      await session.rows(`SET SESSION max_statement_time = ${(step.statementTimeoutMs / 1000).toFixed(3)}`);
    // Between LOCK TABLES and UNLOCK TABLES (a type change's swap) our session holds the table:
    // a probe's write would wait for it, and the trace for the probe. Those statements run
    // untraced; they touch no row, and writers waiting a moment is what the step says.
    let holding = false;
    for (const [i, sql] of mysqlSteps.text(step).entries()) {
      const started = Date.now();
      if (/^\s*LOCK\s+TABLES?\b/i.test(sql)) holding = true;
      if (holding || SESSION_SETTING.test(sql)) {
        await session.rows(sql);
        if (/^\s*UNLOCK\s+TABLES?\b/i.test(sql)) holding = false;
        statements.push({ sql, durationMs: Date.now() - started, trace: null });
        continue;
      }
      if (step.transactional && !open) {
        await session.rows('START TRANSACTION');
        open = true;
      }
      const predicted = options.lockedTables(i).map(names.toScratch);
      const trace = open
        ? await traceInTransaction(session, sql, options.url, scratch, names.toLogical)
        : await traceDdl(session, sql, options.url, scratch, predicted, names.toLogical);
      statements.push({ sql, durationMs: Date.now() - started, trace });
    }
    if (open) await session.rows('COMMIT');
    return { statements };
  } catch (error) {
    if (open) await session.rows('ROLLBACK').catch(() => undefined);
    return {
      statements,
      error: {
        message: (error as Error).message,
        ...(sqlStateOf(error) ? { sqlstate: sqlStateOf(error) } : {}),
      },
    };
  } finally {
    await session.rows('UNLOCK TABLES').catch(() => undefined);
    await session.rows('SET SESSION lock_wait_timeout = DEFAULT').catch(() => undefined);
    if (mariadb) await session.rows('SET SESSION max_statement_time = DEFAULT').catch(() => undefined);
  }
}

async function traceDdl(
  session: MysqlSession,
  sql: string,
  url: string,
  scratch: string,
  predicted: readonly string[],
  toLogical: (t: string) => string,
): Promise<StatementTrace> {
  const before = await relations(session, scratch);
  const changes = lower(sql, scratch, logicalNameOf(scratch));
  const own = changes.tables.find((t) => before.get(t) === 'table');
  const table = own ?? predicted.find((t) => before.get(t) === 'table');
  if (table === undefined) {
    // Nothing existing to watch (CREATE TABLE, a view): run it; its locks are on new objects.
    await session.rows(sql);
    return emptyTrace(sql);
  }
  const qualified = `${q(scratch)}.${q(table.slice(scratch.length + 1))}`;
  const trace = await traceMysqlStatement(session, sql, {
    connect: () => openSession(url),
    table,
    write: `DELETE FROM ${qualified} WHERE 1 = 0`,
    read: `SELECT 1 FROM ${qualified} LIMIT 1`,
    blockedMinMs: BLOCKED_MIN_MS,
  });
  return toStatementTrace(trace, {
    rename: toLogical,
    before,
    truncates: changes.truncates,
    blockedMinMs: BLOCKED_MIN_MS,
  });
}

/** Inside the step's transaction: the locks it holds after the statement, less those it held before. */
async function traceInTransaction(
  session: MysqlSession,
  sql: string,
  url: string,
  scratch: string,
  toLogical: (t: string) => string,
): Promise<StatementTrace> {
  const before = await relations(session, scratch);
  const monitor = await openSession(url);
  try {
    const held = await sampleMetadataLocks(monitor, session.pid).catch(() => []);
    await session.rows(sql);
    const after = await sampleMetadataLocks(monitor, session.pid).catch(() => []);
    const traced = (list: typeof after) =>
      list.flatMap((l) => {
        const mode = metadataLockMode(l.mode);
        const kind = before.get(l.table);
        return mode === null
          ? []
          : [
              {
                relation: toLogical(l.table),
                kind: kind ?? 'table',
                mode,
                granted: true,
                existedBefore: kind !== undefined,
              },
            ];
      });
    const isNew = (l: { table: string; mode: string }) =>
      !held.some((h) => h.table === l.table && h.mode === l.mode);
    return {
      ...emptyTrace(sql),
      inTransaction: true,
      locks: traced(after.filter(isNew)),
      heldBefore: traced(held),
    };
  } finally {
    await monitor.close();
  }
}

function emptyTrace(sql: string): StatementTrace {
  return {
    sql,
    inTransaction: false,
    locks: [],
    rewrittenTables: [],
    emptiedTables: [],
    rebuiltIndexes: [],
    createdIndexes: [],
    scans: null,
    waits: 0,
  };
}

/** What the statement's changes act on (tables named in the scratch database), and whether it truncates. */
function lower(sql: string, scratch: string, logical: string): { tables: string[]; truncates: boolean } {
  let changes: Change[] = [];
  try {
    const [statement] = parseMysql(sql, 'step').statements;
    if (statement) changes = lowerMysql(statement.ast, scratch);
  } catch {
    // Not parsed: the prediction names the table to watch.
  }
  const tables = changes
    .map(changeTable)
    .filter((t): t is string => t !== null)
    .map((t) => (t.startsWith(`${logical}.`) ? `${scratch}${t.slice(logical.length)}` : t));
  return { tables, truncates: changes.some((c) => c.kind === 'truncate') };
}

/** `scratch.name` → kind, for the tables and views of the scratch database now. */
async function relations(session: MysqlSession, scratch: string): Promise<Map<string, RelationKind>> {
  const rows = await session.rows<{ name: string; type: string }>(
    'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [scratch],
  );
  return new Map(rows.map((r) => [`${scratch}.${r.name}`, r.type === 'VIEW' ? 'view' : 'table']));
}

async function currentDatabase(session: MysqlSession): Promise<string> {
  const [row] = await session.rows<{ db: string | null }>('SELECT DATABASE() AS db');
  if (!row?.db) throw new Error('the scratch session has no database');
  return row.db;
}

/** The probes' and the monitor's sessions, guarded as every session on a scratch database is. */
async function openSession(url: string): Promise<MysqlSession> {
  const session = await connectMysql(url);
  await guardScratchSession(session, url);
  return session;
}
