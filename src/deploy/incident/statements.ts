/**
 * A failed step outside a transaction whose statements the runner counted (a server without
 * transactional DDL: MySQL, MariaDB), statement by statement: which committed, which failed,
 * which never ran, and what undoes exactly the ones that ran. Each DDL statement commits on its
 * own there, so a step of several can stop half applied; "the step failed" alone would leave
 * the reader to guess.
 */
import type { Incident } from '../../core/deploy.js';
import type { PlanStep } from '../../core/plan.js';

export interface NumberedStatement {
  /** 1-based position in the step. */
  n: number;
  sql: string;
}

export interface StatementReport {
  step: string;
  total: number;
  /** Statements that committed, in order. */
  ran: NumberedStatement[];
  /** The statement that failed, or that was running when the connection was lost (`unknown`). */
  stopped: (NumberedStatement & { outcome: 'failed' | 'unknown' }) | null;
  notRun: NumberedStatement[];
  /** The inverses of `ran`, last first; null when the plan has no per-statement inverses. */
  undo: string[] | null;
  /** The automatic rollback ran `undo` (or the step's rollback). */
  undone: boolean;
  /** One sentence for the report's state table. */
  summary: string;
}

/** Null when the runner did not count the step's statements (a transaction, or PostgreSQL). */
export function statementReport(step: PlanStep, incident: Incident): StatementReport | null {
  const record = incident.failedStep;
  const done = record.statementsDone;
  if (done === undefined || step.transactional || record.id !== step.id) return null;
  const total = step.sql.length;
  const numbered = step.sql.map((sql, i) => ({ n: i + 1, sql }));
  const ran = numbered.slice(0, done);
  const unknown = record.status === 'running';
  const next = numbered[done];
  const stopped = next ? { ...next, outcome: unknown ? ('unknown' as const) : ('failed' as const) } : null;
  const notRun = numbered.slice(done + 1);
  const perStatement = step.statementRollback;
  const undo = perStatement ? perStatement.slice(0, done).reverse().flat() : null;
  return {
    step: step.id,
    total,
    ran,
    stopped,
    notRun,
    undo,
    undone: incident.rolledBack.includes(step.id),
    summary: summary(total, done, stopped),
  };
}

function span(from: number, to: number): string {
  return from === to ? `${from}` : `${from}–${to}`;
}

function summary(total: number, done: number, stopped: StatementReport['stopped']): string {
  const of =
    total === 1 ? 'its only statement' : `statement ${(stopped?.n ?? done + 1).toString()} of ${total}`;
  const rest = stopped && stopped.n < total ? `; ${span(stopped.n + 1, total)} did not run` : '';
  if (!stopped) return `all ${total} statement(s) committed; a check after them failed`;
  if (stopped.outcome === 'unknown')
    return done === 0
      ? `${of} was running when the deploy stopped: whether it committed is unknown${rest}`
      : `statements ${span(1, done)} of ${total} committed; statement ${stopped.n} was running when the deploy stopped (whether it committed is unknown)${rest}`;
  if (done === 0)
    return `${of} failed and left nothing (one statement is atomic)${total > 1 ? '; the others did not run' : ''}`;
  return `half applied: statement(s) ${span(1, done)} of ${total} committed (DDL is not transactional here), statement ${stopped.n} failed${rest}`;
}
