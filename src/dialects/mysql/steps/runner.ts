/**
 * Running plan steps on MySQL/MariaDB. DDL is not transactional there: a step's DDL commits as
 * it goes, so only steps of plain DML (a backfill batch) run in a transaction. Every step first
 * bounds its metadata lock wait (`lock_wait_timeout`, seconds) and, on MariaDB, its run time
 * (`max_statement_time`, seconds; MySQL's max_execution_time only limits SELECT).
 * https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_lock_wait_timeout
 * https://mariadb.com/kb/en/server-system-variables/#max_statement_time
 */
import type { PlanCheck, PlanStep } from '../../../core/plan.js';
import type { Session, StepRunner } from '../../../core/dialect/driver.js';
import { SchemapilotError } from '../../../core/errors.js';
import { mysqlSession } from '../session.js';

/** Seconds, rounded up: the server takes whole seconds for lock_wait_timeout (at least 1). */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function timeouts(step: Pick<PlanStep, 'lockTimeoutMs' | 'statementTimeoutMs'>, mariadb: boolean): string[] {
  const out = [`SET SESSION lock_wait_timeout = ${seconds(step.lockTimeoutMs)}`];
  if (mariadb && step.statementTimeoutMs > 0)
    out.push(`SET SESSION max_statement_time = ${(step.statementTimeoutMs / 1000).toFixed(3)}`);
  return out;
}

function resets(mariadb: boolean): string[] {
  return mariadb
    ? ['SET SESSION lock_wait_timeout = DEFAULT', 'SET SESSION max_statement_time = DEFAULT']
    : ['SET SESSION lock_wait_timeout = DEFAULT'];
}

async function runAll(session: Session, statements: readonly string[]): Promise<void> {
  const s = mysqlSession(session);
  for (const sql of statements) await s.rows(sql);
}

function isMariadbSession(session: Session): boolean {
  return mysqlSession(session).version.product === 'mariadb';
}

export const mysqlSteps: StepRunner = {
  // The text form cannot know the server: it writes the portable lock_wait_timeout only.
  text: (step) => [...timeouts(step, false), ...step.sql, ...(step.transactional ? [] : resets(false))],
  // Nothing in MySQL refuses a transaction block the way CONCURRENTLY does; DDL just commits it.
  outsideTransaction: () => false,
  async run(session, step, beforeCommit, options = {}) {
    const mariadb = isMariadbSession(session);
    await runAll(session, timeouts(step, mariadb));
    if (step.transactional) {
      await runAll(session, ['START TRANSACTION']);
      try {
        await runAll(session, step.sql);
        await beforeCommit?.();
        await runAll(session, ['COMMIT']);
      } catch (error) {
        await runAll(session, ['ROLLBACK']).catch(() => undefined);
        throw error;
      } finally {
        await runAll(session, resets(mariadb)).catch(() => undefined);
      }
      return;
    }
    // Each DDL statement commits by itself: count them as they go, so a failure or a crash
    // half way says exactly which ran.
    try {
      await options.progress?.(options.from ?? 0);
      for (let i = options.from ?? 0; i < step.sql.length; i++) {
        await runAll(session, [step.sql[i] as string]);
        await options.progress?.(i + 1);
      }
      await beforeCommit?.();
    } finally {
      await runAll(session, resets(mariadb)).catch(() => undefined);
    }
  },
  async undo(session, step, options = {}) {
    const mariadb = isMariadbSession(session);
    const lockTimeoutMs = options.lockTimeoutMs ?? step.lockTimeoutMs;
    await runAll(session, timeouts({ lockTimeoutMs, statementTimeoutMs: step.statementTimeoutMs }, mariadb));
    try {
      await runAll(session, step.rollback);
    } finally {
      await runAll(session, resets(mariadb)).catch(() => undefined);
    }
  },
  async apply(session, step) {
    for (const check of step.preChecks)
      if (!(await this.check(session, check)))
        throw stepFailed(step, `pre-check failed: ${check.description}`);
    try {
      await this.run(session, step);
    } catch (error) {
      throw stepFailed(step, messageOf(error), error);
    }
    for (const check of step.postChecks)
      if (!(await this.check(session, check)))
        throw stepFailed(step, `post-check failed: ${check.description}`);
  },
  async rollback(session, step) {
    if (step.rollback.length === 0) return;
    try {
      await this.undo(session, step);
    } catch (error) {
      throw stepFailed(step, `rollback failed: ${messageOf(error)}`, error);
    }
  },
  async check(session: Session, check: PlanCheck): Promise<boolean> {
    const rows = await mysqlSession(session).rows<Record<string, unknown>>(check.sql);
    const first = rows[0];
    if (!first) return false;
    const value = Object.values(first)[0];
    return value === true || value === 1 || value === '1' || value === 1n;
  },
};

/** A step that failed, named; exit code 1 (the migration, not the input, went wrong). */
function stepFailed(step: PlanStep, message: string, cause?: unknown): SchemapilotError {
  return new SchemapilotError(`${step.id}: ${message}`, { exitCode: 1, cause });
}

function messageOf(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown };
  const code = typeof e.code === 'string' ? ` (${e.code})` : '';
  return `${typeof e.message === 'string' ? e.message : String(error)}${code}`;
}
