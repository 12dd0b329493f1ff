/**
 * Running plan steps on SQLite. DDL is transactional here, and one writer at a time holds the
 * whole database's write lock (https://www.sqlite.org/lockingv3.html, https://www.sqlite.org/wal.html):
 *
 * - a step's lock wait is PRAGMA busy_timeout (how long a statement retries while another
 *   connection holds the lock, then SQLITE_BUSY); there is no statement timeout to set (session.ts);
 * - a transactional step opens with BEGIN IMMEDIATE, which takes the write lock at once (waiting
 *   busy_timeout for it) instead of at its first write, where a reader upgrading to a writer can
 *   fail with SQLITE_BUSY without waiting (https://www.sqlite.org/lang_transaction.html);
 * - a step outside a transaction runs its statements one by one; it may open and commit its own
 *   transaction (the 12-step rebuild: PRAGMA foreign_keys=OFF, BEGIN … COMMIT, foreign_keys=ON,
 *   https://www.sqlite.org/lang_altertable.html#otheralter). Only statements outside a
 *   transaction count as done (a crash rolls back an open one), and a step resumed on a new
 *   session first re-applies the PRAGMA settings its earlier statements made: with foreign_keys
 *   back on, a rebuild's DROP TABLE would run its parent's ON DELETE actions;
 * - `PRAGMA foreign_key_check` and `integrity_check` in a step fail it when they report anything.
 * Whatever happens, the session's busy_timeout and foreign_keys are put back as they were.
 */
import type { PlanCheck, PlanStep } from '../../../core/plan.js';
import type { Session, StepRunner } from '../../../core/dialect/driver.js';
import { SchemapilotError } from '../../../core/errors.js';
import { checkedSteps } from '../../../deploy/checked-steps.js';
import type { SqliteSession } from '../session.js';
import { sqliteSession } from '../session.js';
import { backfillBatch } from './backfill.js';
import { checkKind, isSetting, refusesTransaction } from './statements.js';

function timeouts(step: Pick<PlanStep, 'lockTimeoutMs'>): string[] {
  return [`PRAGMA busy_timeout = ${Math.max(0, Math.round(step.lockTimeoutMs))}`];
}

/** A step's own statements as a file holds them; a backfill is its batch, written out for the rows expected. */
function body(step: PlanStep): string[] {
  const spec = step.backfill;
  if (!spec) return step.sql;
  const batches = Math.max(1, Math.ceil((spec.estimatedRows ?? spec.batchSize) / spec.batchSize) + 1);
  return Array.from({ length: batches }, () => backfillBatch(spec));
}

/** One statement of a step; row-reporting checks fail on any report. */
export function runStatement(s: SqliteSession, sql: string): void {
  const kind = checkKind(sql);
  if (kind === null) {
    s.db.exec(sql);
    return;
  }
  const rows = s.rows<Record<string, unknown>>(sql);
  const problems = kind === 'integrity_check' ? rows.filter((r) => Object.values(r)[0] !== 'ok') : rows;
  if (problems.length === 0) return;
  const shown = problems
    .slice(0, 3)
    .map((r) =>
      kind === 'foreign_key_check'
        ? `${String(r['table'])} row ${String(r['rowid'])} → ${String(r['parent'])}`
        : String(Object.values(r)[0]),
    )
    .join('; ');
  const more = problems.length > 3 ? ` and ${problems.length - 3} more` : '';
  throw new SchemapilotError(
    kind === 'foreign_key_check'
      ? `PRAGMA foreign_key_check found ${problems.length} row(s) whose parent is missing: ${shown}${more}`
      : `PRAGMA integrity_check reported: ${shown}${more}`,
    { exitCode: 1 },
  );
}

/** Session settings a step may change, to put back afterwards. */
function saveSettings(s: SqliteSession): () => void {
  const busy = Number(s.db.pragma('busy_timeout', { simple: true }));
  const foreignKeys = Number(s.db.pragma('foreign_keys', { simple: true }));
  return () => {
    if (s.db.inTransaction) s.db.exec('ROLLBACK');
    s.db.pragma(`busy_timeout = ${busy}`);
    if (Number(s.db.pragma('foreign_keys', { simple: true })) !== foreignKeys)
      s.db.pragma(`foreign_keys = ${foreignKeys}`);
  };
}

async function runBackfill(s: SqliteSession, step: PlanStep): Promise<void> {
  const spec = step.backfill;
  if (!spec) return;
  const batch = s.db.prepare(backfillBatch(spec));
  // Each batch commits on its own: the write lock is held for one batch, then writers get a turn.
  while (batch.run().changes > 0) {
    if (spec.pauseMs > 0) await new Promise((r) => setTimeout(r, spec.pauseMs));
  }
}

export const sqliteSteps: StepRunner = {
  // busy_timeout is left set in a file: a longer wait for the lock harms no later statement.
  text: (step) => [...timeouts(step), ...body(step)],
  outsideTransaction: (sql) => sql.some(refusesTransaction),
  // sqlite3_exec runs a string of statements one by one, each committing on its own unless the
  // string opens a transaction: nothing has to be alone in a file.
  ddlAutocommits: true,
  async run(session, step, beforeCommit, options = {}) {
    const s = sqliteSession(session);
    const restore = saveSettings(s);
    try {
      for (const sql of timeouts(step)) s.db.exec(sql);
      if (step.transactional) {
        // Inside a transaction SQLite ignores PRAGMA foreign_keys without a word: refuse instead.
        const refused = step.sql.find(refusesTransaction);
        if (refused !== undefined)
          throw new SchemapilotError(`${step.id}: "${refused}" cannot run inside the step's transaction`);
        s.db.exec('BEGIN IMMEDIATE');
        if (step.backfill)
          throw new SchemapilotError(`${step.id}: a backfill runs in batches, not in one transaction`);
        for (const sql of step.sql) runStatement(s, sql);
        await beforeCommit?.();
        s.db.exec('COMMIT');
        return;
      }
      if (step.backfill) {
        await options.progress?.(0);
        await runBackfill(s, step);
        await options.progress?.(step.sql.length);
        await beforeCommit?.();
        return;
      }
      const from = options.from ?? 0;
      // Resumed: the connection-level settings made before the crash, made again on this session.
      for (const sql of step.sql.slice(0, from)) if (isSetting(sql)) s.db.exec(sql);
      await options.progress?.(from);
      for (let i = from; i < step.sql.length; i++) {
        runStatement(s, step.sql[i] as string);
        // Inside the step's own BEGIN … COMMIT nothing is done until COMMIT.
        if (!s.db.inTransaction) await options.progress?.(i + 1);
      }
      await beforeCommit?.();
    } finally {
      restore();
    }
  },
  async undo(session, step, options = {}) {
    const s = sqliteSession(session);
    const restore = saveSettings(s);
    try {
      s.db.exec(timeouts({ lockTimeoutMs: options.lockTimeoutMs ?? step.lockTimeoutMs })[0] as string);
      const wrap = !sqliteSteps.outsideTransaction(step.rollback);
      if (wrap) s.db.exec('BEGIN IMMEDIATE');
      for (const sql of step.rollback) runStatement(s, sql);
      if (wrap) s.db.exec('COMMIT');
      await Promise.resolve();
    } finally {
      restore();
    }
  },
  ...checkedSteps(() => sqliteSteps),
  check(session: Session, check: PlanCheck): Promise<boolean> {
    const rows = sqliteSession(session).rows<Record<string, unknown>>(check.sql);
    const value = rows[0] === undefined ? undefined : Object.values(rows[0])[0];
    return Promise.resolve(value === true || value === 1 || value === 1n || value === '1');
  },
};
