/**
 * Running one plan step on the target with the deploy's safety rails: its timeouts, bounded
 * retries with exponential backoff and jitter on lock timeouts and deadlocks, the watchdog
 * that cancels us when we block others, and per-step and total time budgets.
 */
import type { DialectDriver, DeployDriver, Session } from '../core/dialect/index.js';
import { SchemapilotError } from '../core/errors.js';
import type { PlanStep } from '../core/plan.js';
import { runBackfill } from './backfill.js';
import type { AttemptRecord, BackfillProgress, StepRecord } from '../core/deploy.js';
import type { Watchdog } from './watchdog.js';

export interface StepLimits {
  maxBlockingMs: number;
  /** Per step, retries and waits included (ms). */
  stepBudgetMs: number;
  /** Attempts per step; overrides the plan's retry policy when set. */
  maxAttempts?: number;
  maxReplicaLagMs: number;
}

export interface StepContext {
  driver: DialectDriver;
  deploy: DeployDriver;
  session: Session;
  pid: number;
  watchdog: Watchdog;
  deployId: number;
  position: number;
  limits: StepLimits;
  /** Time still allowed for transactional steps in this deploy (ms), shared across steps. */
  budget: { remainingMs: number };
  onEvent: (event: StepEvent) => void | Promise<void>;
}

export type StepEvent =
  | { type: 'step-start'; step: string; attempt: number; pid: number }
  | {
      type: 'step-retry';
      step: string;
      attempt: number;
      waitMs: number;
      cause: string;
      sqlstate: string | null;
    }
  | { type: 'step-done'; step: string; durationMs: number; pid: number }
  | {
      type: 'backfill-progress';
      step: string;
      pid: number;
      rows: number;
      estimatedTotal: number | null;
      rowsPerSecond: number;
      etaMs: number | null;
    };

/** The step failed for good: the attempts are in the record. */
export class StepAbort extends Error {
  constructor(
    readonly reason: NonNullable<AttemptRecord['cause']>,
    readonly sqlstate: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'StepAbort';
  }
}

/** The deploy connection is gone: nothing more can be written; the next run resumes. */
export class ConnectionLost extends SchemapilotError {
  constructor(step: string, cause: unknown) {
    super(
      `the connection to the database was lost during ${step} (${(cause as Error).message}); the journal still says it is running: run the same deploy again to resume, or schemapilot rollback to undo it`,
      { exitCode: 1, cause },
    );
    this.name = 'ConnectionLost';
  }
}

/**
 * Run `step` until it is done or its attempts or budgets run out. On success the journal says
 * `done` (inside the step's transaction when it has one). Throws StepAbort or ConnectionLost.
 */
export async function runStep(step: PlanStep, record: StepRecord, ctx: StepContext): Promise<void> {
  const maxAttempts = Math.max(1, ctx.limits.maxAttempts ?? step.retry.maxAttempts);
  const stepStarted = Date.now();
  record.status = 'running';
  record.startedAt ??= new Date().toISOString();
  await journal(ctx, step, record);
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    const entry: AttemptRecord = {
      attempt: record.attempts.length + 1,
      startedAt: new Date(started).toISOString(),
      durationMs: 0,
      error: null,
      blockers: [],
      blocked: [],
    };
    await ctx.onEvent({ type: 'step-start', step: step.id, attempt, pid: ctx.pid });
    let failure: StepAbort | undefined;
    try {
      await attemptStep(step, record, entry, ctx);
    } catch (error) {
      if (ctx.deploy.errors.isConnectionError(error)) {
        await ctx.watchdog.stopAndSettle();
        // Kept in memory for the incident report; the journal can no longer be written here.
        entry.durationMs = Date.now() - started;
        entry.error = { sqlstate: ctx.deploy.errors.code(error), message: (error as Error).message };
        entry.cause = 'connection lost';
        if (!record.attempts.includes(entry)) record.attempts.push(entry);
        // Whether its last statement or COMMIT reached the server is unknown: as the journal says.
        record.status = 'running';
        record.finishedAt = null;
        throw new ConnectionLost(step.id, error);
      }
      failure = classify(ctx.deploy, error, ctx.watchdog);
    }
    entry.durationMs = Date.now() - started;
    if (step.transactional) ctx.budget.remainingMs -= entry.durationMs;
    if (!failure) {
      await ctx.onEvent({
        type: 'step-done',
        step: step.id,
        durationMs: Date.now() - stepStarted,
        pid: ctx.pid,
      });
      return;
    }
    entry.error = { sqlstate: failure.sqlstate, message: failure.message };
    entry.cause = failure.reason;
    entry.blockers = ctx.watchdog.blockers;
    entry.blocked = ctx.watchdog.blocked;
    if (!record.attempts.includes(entry)) record.attempts.push(entry);
    const retryable =
      failure.reason === 'blocking others' ||
      (failure.sqlstate !== null && step.retry.retryOn.includes(failure.sqlstate));
    const wait = backoff(step, attempt);
    const overStep = Date.now() - stepStarted + wait > ctx.limits.stepBudgetMs;
    const overTotal = step.transactional && ctx.budget.remainingMs <= 0;
    if (!retryable || attempt >= maxAttempts || overStep || overTotal) {
      const cause =
        !retryable || attempt >= maxAttempts ? failure.reason : overStep ? 'step budget' : 'total budget';
      entry.cause = cause;
      record.status = 'failed';
      record.finishedAt = new Date().toISOString();
      await journal(ctx, step, record);
      throw new StepAbort(
        cause,
        failure.sqlstate,
        cause === failure.reason ? failure.message : `${failure.message}; ${cause} exhausted`,
      );
    }
    await journal(ctx, step, record);
    await ctx.onEvent({
      type: 'step-retry',
      step: step.id,
      attempt: attempt + 1,
      waitMs: wait,
      cause: failure.reason,
      sqlstate: failure.sqlstate,
    });
    // A failed concurrent build leaves an INVALID index that the next attempt's pre-check
    // refuses. A step whose statements are counted (no transactional DDL) instead resumes
    // after the ones that committed: each statement is atomic, the failed one left nothing.
    if (!step.transactional && !step.backfill && record.statementsDone === undefined)
      await undoQuietly(ctx, step);
    await new Promise((r) => setTimeout(r, wait));
  }
}

async function attemptStep(
  step: PlanStep,
  record: StepRecord,
  entry: AttemptRecord,
  ctx: StepContext,
): Promise<void> {
  const { driver, deploy, session } = ctx;
  const mark = (r: StepRecord) => deploy.journal.markStep(session, ctx.deployId, ctx.position, r);
  // Statements that committed before (an earlier attempt, a crashed run): the step goes on
  // after them, and its pre-checks, about the state before the step, no longer apply.
  const from = step.transactional ? 0 : (record.statementsDone ?? 0);
  if (from === 0)
    for (const check of step.preChecks)
      if (!(await driver.steps.check(session, check)))
        throw new StepAbort('error', null, `pre-check failed: ${check.description}`);
  ctx.watchdog.start(ctx.pid);
  try {
    if (step.backfill) {
      await runBackfill(deploy.backfill, session, step.backfill, record.backfill, {
        lockTimeoutMs: step.lockTimeoutMs,
        statementTimeoutMs: step.statementTimeoutMs || 60_000,
        maxReplicaLagMs: ctx.limits.maxReplicaLagMs,
        othersWaited: () => {
          const waited = ctx.watchdog.waitSamples > 0;
          ctx.watchdog.waitSamples = 0;
          return waited;
        },
        // Written inside the batch's transaction, but kept in memory only once it committed.
        record: (progress: BackfillProgress) => mark({ ...record, backfill: { ...progress } }),
        committed: (progress) => {
          record.backfill = { ...progress };
        },
        onProgress: (p) =>
          ctx.onEvent({
            type: 'backfill-progress',
            step: step.id,
            pid: ctx.pid,
            rows: p.rows,
            estimatedTotal: p.estimatedTotal,
            rowsPerSecond: p.rowsPerSecond,
            etaMs:
              p.estimatedTotal !== null && p.rowsPerSecond > 0
                ? Math.max(0, Math.round(((p.estimatedTotal - p.rows) / p.rowsPerSecond) * 1000))
                : null,
          }),
      });
      done(record, entry);
      await mark(record);
    } else {
      // The journal says `done` inside the step's transaction when it has one: both commit or
      // neither. Outside one, each statement that committed is journaled as it finishes.
      await driver.steps.run(
        session,
        step,
        async () => {
          done(record, entry);
          await mark(record);
        },
        {
          from,
          progress: async (n) => {
            record.statementsDone = n;
            await mark(record);
          },
        },
      );
    }
  } finally {
    await ctx.watchdog.stopAndSettle();
  }
  for (const check of step.postChecks)
    if (!(await driver.steps.check(session, check)))
      throw new StepAbort('error', null, `post-check failed: ${check.description}`);
}

function done(record: StepRecord, entry: AttemptRecord): void {
  entry.durationMs = Date.now() - Date.parse(entry.startedAt);
  record.attempts.push(entry);
  record.status = 'done';
  record.finishedAt = new Date().toISOString();
}

function classify(deploy: DeployDriver, error: unknown, watchdog: Watchdog): StepAbort {
  if (error instanceof StepAbort) return error;
  const sqlstate = deploy.errors.code(error);
  const message = (error as { message?: string }).message ?? String(error);
  const kind = deploy.errors.kind(error);
  if (kind === 'lock timeout') return new StepAbort('lock timeout', sqlstate, message);
  if (kind === 'cancelled' && watchdog.cancelled)
    return new StepAbort(
      'blocking others',
      sqlstate,
      `${message} (cancelled by the watchdog: sessions waited on us)`,
    );
  return new StepAbort('error', sqlstate, message);
}

/** min(max, base · 2^(n-1)), times a random factor in [0.5, 1): retries of several deploys spread out. */
export function backoff(step: PlanStep, attempt: number): number {
  const raw = Math.min(step.retry.maxBackoffMs, step.retry.backoffMs * 2 ** (attempt - 1));
  return Math.round(raw * (0.5 + Math.random() / 2));
}

async function journal(ctx: StepContext, step: PlanStep, record: StepRecord): Promise<void> {
  try {
    await ctx.deploy.journal.markStep(ctx.session, ctx.deployId, ctx.position, record);
  } catch (error) {
    if (ctx.deploy.errors.isConnectionError(error)) throw new ConnectionLost(step.id, error);
    throw error;
  }
}

/** Run a step's rollback, ignoring errors: cleanup before a retry (its statements use IF EXISTS). */
async function undoQuietly(ctx: StepContext, step: PlanStep): Promise<void> {
  await undoQuietlyWith(ctx.driver, ctx.session, step);
}

/**
 * A step's rollback statements one by one, errors ignored: its statements use IF EXISTS, and
 * any that fails (nothing to drop) must not stop the others.
 */
export async function undoQuietlyWith(
  driver: DialectDriver,
  session: Session,
  step: PlanStep,
): Promise<void> {
  for (const sql of step.rollback)
    await driver.steps.undo(session, { ...step, rollback: [sql] }).catch(() => undefined);
}
