/**
 * One plan step on a SQLite scratch copy, statement by statement as the step runner sends them
 * (steps/runner.ts), each traced. What "locks" mean here: SQLite has one write lock for the whole
 * database (https://www.sqlite.org/lockingv3.html). A statement outside a transaction holds it
 * while it runs; inside one, it is held from BEGIN IMMEDIATE (or the first write) to COMMIT. So:
 *
 * - `durationMs` of each statement, and `online.writerWaitMs`: how long a writer arriving when the
 *   statement started waits for the lock (to the end of the statement, or of its transaction);
 * - inside a transaction, after each statement, a second connection asks for the write lock
 *   (BEGIN IMMEDIATE) and reads, neither waiting (busy_timeout 0): SQLITE_BUSY says who is
 *   blocked. In rollback-journal mode readers are blocked too once the writer has spilled its
 *   cache to the file (it then holds the EXCLUSIVE lock until COMMIT); in WAL mode never;
 * - the lock is reported on the tables the statement names (and those predicted for it) in the
 *   vocabulary the lock model speaks (lock-modes.ts), though it holds every table;
 * - rewrites: a table (or index) whose b-tree got a new root page or new content (fingerprint.ts).
 */
import type {
  RelationKind,
  StatementTrace,
  StepTrace,
  StepTraceOptions,
  TracedLock,
  TracedStatement,
} from '../../../core/dialect/validation.js';
import type { PlanStep } from '../../../core/plan.js';
import Database from 'better-sqlite3';
import { codeOf, messageOf } from '../connect.js';
import type { SqliteSession } from '../session.js';
import { runStatement, sqliteSteps } from '../steps/runner.js';
import { head, isSetting } from '../steps/statements.js';
import { tokenize } from '../introspect/lexer.js';
import { parseSqliteTarget } from '../url.js';
import { btrees, contentPrint, type Btree } from './fingerprint.js';
import { READERS_BLOCKED, WRITERS_BLOCKED } from './lock-modes.js';

const SCHEMA = 'main';
const DML = /^(?:INSERT|UPDATE|DELETE|REPLACE|SELECT|WITH|VALUES)\b/i;

interface Pending {
  trace: StatementTrace;
  startedAt: number;
}

export function traceStep(session: SqliteSession, step: PlanStep, options: StepTraceOptions): StepTrace {
  const statements: TracedStatement[] = [];
  const probe = new Database(parseSqliteTarget(options.url).path, { fileMustExist: true, timeout: 0 });
  const busy = Number(session.db.pragma('busy_timeout', { simple: true }));
  const foreignKeys = Number(session.db.pragma('foreign_keys', { simple: true }));
  // Statements of the open transaction, whose writers wait until its COMMIT.
  let waiting: Pending[] = [];
  const settle = (until: number) => {
    for (const p of waiting) if (p.trace.online) p.trace.online.writerWaitMs = until - p.startedAt;
    waiting = [];
  };
  try {
    if (step.transactional) session.exec('BEGIN IMMEDIATE');
    let heldSince: number | null = step.transactional ? Date.now() : null;
    for (const [i, sql] of sqliteSteps.text(step).entries()) {
      const started = Date.now();
      if (
        isSetting(sql) &&
        !/^PRAGMA\s+(?:\w+\.)?(?:foreign_key_check|integrity_check|quick_check)\b/i.test(head(sql))
      ) {
        runStatement(session, sql);
        statements.push({ sql, durationMs: Date.now() - started, trace: null });
        continue;
      }
      const before = btrees(session);
      const named = tablesNamed(sql, before, options.lockedTables(i));
      const ddl = !DML.test(head(sql));
      const prints = ddl
        ? new Map(named.map((t) => [t, contentPrint(session, t)]))
        : new Map<string, string | null>();
      const wasInTransaction = session.db.inTransaction;
      const writes = !isReadOnly(session, sql);
      runStatement(session, sql);
      const ended = Date.now();
      const inTransaction = session.db.inTransaction;
      if (inTransaction && heldSince === null && writes) heldSince = started;
      const after = btrees(session);
      const seen = inTransaction && heldSince !== null ? probeBlocking(probe) : null;
      const holds = writes || (wasInTransaction && heldSince !== null);
      const mode = seen?.readers ? READERS_BLOCKED : WRITERS_BLOCKED;
      const lock = (t: string, existedBefore: boolean): TracedLock => ({
        relation: `${SCHEMA}.${t}`,
        kind: 'table' as RelationKind,
        mode,
        granted: true,
        existedBefore,
      });
      const rewritten = ddl ? rewrittenTables(session, named, before, after, prints) : [];
      const trace: StatementTrace = {
        sql,
        inTransaction: wasInTransaction || inTransaction,
        locks: holds ? named.map((t) => lock(t, true)) : [],
        rewrittenTables: rewritten.map((t) => `${SCHEMA}.${t}`),
        emptiedTables: [],
        rebuiltIndexes: changedIndexes(before, after, (b, a) => a.rootpage !== b.rootpage),
        createdIndexes: [...after.values()]
          .filter((a) => a.type === 'index' && !before.has(a.name.toLowerCase()))
          .map((a) => ({ index: `${SCHEMA}.${a.name}`, table: `${SCHEMA}.${a.table}` })),
        scans: null,
        waits: 0,
        ...(wasInTransaction && heldSince !== null && heldSince < started
          ? { heldBefore: named.map((t) => lock(t, true)) }
          : {}),
        ...(holds
          ? {
              online: {
                algorithm: null,
                rebuilt: ddl ? rewritten.length > 0 : null,
                blocksWrites: seen ? seen.writers : true,
                blocksReads: seen ? seen.readers : null,
                writerWaitMs: ended - started,
                evidence: evidence(session, seen, inTransaction),
              },
            }
          : {}),
      };
      statements.push({ sql, durationMs: ended - started, trace });
      if (holds && inTransaction) waiting.push({ trace, startedAt: started });
      if (!inTransaction) {
        settle(ended);
        heldSince = null;
      }
    }
    if (step.transactional) session.exec('COMMIT');
    settle(Date.now());
    return { statements };
  } catch (error) {
    if (session.db.inTransaction) session.exec('ROLLBACK');
    settle(Date.now());
    const code = codeOf(error);
    return { statements, error: { message: messageOf(error), ...(code ? { sqlstate: code } : {}) } };
  } finally {
    probe.close();
    session.db.pragma(`busy_timeout = ${busy}`);
    if (Number(session.db.pragma('foreign_keys', { simple: true })) !== foreignKeys)
      session.db.pragma(`foreign_keys = ${foreignKeys}`);
  }
}

/** SQLite says whether a statement writes (better-sqlite3: Statement.readonly). */
function isReadOnly(session: SqliteSession, sql: string): boolean {
  try {
    return session.db.prepare(sql).readonly;
  } catch {
    return false;
  }
}

/** Another connection asks for the write lock and reads, waiting for neither. */
function probeBlocking(probe: Database.Database): { writers: boolean; readers: boolean } {
  let writers = false;
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
  } catch (error) {
    if (codeOf(error) !== 'SQLITE_BUSY') throw error;
    writers = true;
  }
  let readers = false;
  try {
    probe.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    if (codeOf(error) !== 'SQLITE_BUSY') throw error;
    readers = true;
  }
  return { writers, readers };
}

function evidence(
  session: SqliteSession,
  seen: { writers: boolean; readers: boolean } | null,
  inTransaction: boolean,
): string {
  const journal = String(session.db.pragma('journal_mode', { simple: true })).toLowerCase();
  if (!inTransaction)
    return `the database write lock, held while the statement ran (journal_mode ${journal})`;
  if (!seen) return `journal_mode ${journal}`;
  return `the database write lock, held until COMMIT: a writer got SQLITE_BUSY${seen.readers ? ', and so did a reader (the writer holds the EXCLUSIVE lock: its changes no longer fit in its cache)' : ', a reader went on'} (journal_mode ${journal})`;
}

/** Existing tables the statement names, and those predicted for it (`main.t`), as stored. */
function tablesNamed(
  sql: string,
  existing: ReadonlyMap<string, Btree>,
  predicted: readonly string[],
): string[] {
  const names = new Set<string>();
  for (const t of tokenize(sql)) {
    if (t.kind !== 'word' && t.kind !== 'quoted') continue;
    const b = existing.get(t.value.toLowerCase());
    if (b?.type === 'table') names.add(b.name);
  }
  for (const p of predicted) {
    const b = existing.get(p.slice(p.indexOf('.') + 1).toLowerCase());
    if (b?.type === 'table') names.add(b.name);
  }
  return [...names];
}

function rewrittenTables(
  session: SqliteSession,
  named: readonly string[],
  before: ReadonlyMap<string, Btree>,
  after: ReadonlyMap<string, Btree>,
  prints: ReadonlyMap<string, string | null>,
): string[] {
  return named.filter((t) => {
    const b = before.get(t.toLowerCase());
    const a = after.get(t.toLowerCase());
    if (!b || !a || a.type !== 'table') return false;
    if (a.rootpage !== b.rootpage) return true;
    const print = prints.get(t) ?? null;
    return print !== null && contentPrint(session, a.name) !== print;
  });
}

function changedIndexes(
  before: ReadonlyMap<string, Btree>,
  after: ReadonlyMap<string, Btree>,
  changed: (b: Btree, a: Btree) => boolean,
): { index: string; table: string }[] {
  return [...after.values()].flatMap((a) => {
    const b = before.get(a.name.toLowerCase());
    return a.type === 'index' && b?.type === 'index' && changed(b, a)
      ? [{ index: `${SCHEMA}.${a.name}`, table: `${SCHEMA}.${a.table}` }]
      : [];
  });
}
