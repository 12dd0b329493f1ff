/**
 * One plan step on a PostgreSQL scratch database, statement by statement as deploy runs it (the
 * step's timeouts, then its SQL, in one transaction or outside any), each statement traced
 * (trace.ts). Validate compares the traces with the engine's prediction.
 */
import type pg from 'pg';
import type { StepTrace, StepTraceOptions, TracedStatement } from '../../../core/dialect/validation.js';
import type { PlanStep } from '../../../core/plan.js';
import { stepText } from '../steps/script.js';
import { connectPostgres } from '../connect.js';
import { quoteQualified } from '../quote.js';
import { traceInOpenTransaction, traceStatement } from './trace.js';

/** Session settings (the step's timeouts) run untraced: they touch no relation. */
const SESSION_SETTING = /^\s*(SET|RESET)\s/i;

/** A statement without a timeout of its own still ends: the trace waits at most this long. */
const UNLIMITED_STATEMENT_MS = 600_000;

export async function traceStep(
  client: pg.Client,
  step: PlanStep,
  options: StepTraceOptions,
): Promise<StepTrace> {
  const statements: TracedStatement[] = [];
  try {
    if (step.transactional) await client.query('BEGIN');
    for (const [i, sql] of stepStatements(step).entries())
      statements.push(await traceOne(client, step, sql, options.url, options.lockedTables(i)));
    if (step.transactional) await client.query('COMMIT');
    return { statements };
  } catch (error) {
    if (step.transactional) await client.query('ROLLBACK').catch(() => undefined);
    // A TraceError carries the server's SQLSTATE as `code`, as a pg error does.
    const e = error as { message?: string; code?: string };
    return {
      statements,
      error: {
        message: (e.message ?? String(error)).replace(/^statement failed: /, ''),
        ...(e.code ? { sqlstate: e.code } : {}),
      },
    };
  }
}

/** Statements as deploy runs them: the step's timeouts, then its SQL (as planStepFiles writes them). */
function stepStatements(step: PlanStep): string[] {
  return stepText(step);
}

async function traceOne(
  client: pg.Client,
  step: PlanStep,
  sql: string,
  url: string,
  lockedTables: readonly string[],
): Promise<TracedStatement> {
  const started = Date.now();
  if (SESSION_SETTING.test(sql)) {
    await client.query(sql);
    return { sql, durationMs: Date.now() - started, trace: null };
  }
  const trace = step.transactional
    ? await traceInOpenTransaction(client, sql)
    : await traceStatement(client, sql, {
        mode: 'blocked',
        connect: () => connectPostgres(url),
        // A session holding ROW EXCLUSIVE (an open writer) on each table the statement
        // touches makes it stop while the monitor looks: at its own lock request when that
        // conflicts, or (a concurrent build or drop) at its wait for older writers, with its
        // own lock granted. A short statement would otherwise finish between two samples.
        blockers: lockedTables.map((table) => `LOCK TABLE ${quoteQualified(table)} IN ROW EXCLUSIVE MODE`),
        timeoutMs: step.statementTimeoutMs > 0 ? step.statementTimeoutMs : UNLIMITED_STATEMENT_MS,
      });
  return { sql, durationMs: Date.now() - started, trace };
}
