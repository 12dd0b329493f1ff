/**
 * Undoing applied steps on the target, for deploy's automatic rollback and for
 * `schemapilot rollback`: each step's rollback SQL, last step first, with a lock_timeout and
 * retries (a rollback that queues behind a long transaction would lock the table it is trying
 * to rescue), and cleanup of what failed online builds left (PostgreSQL: INVALID indexes).
 */
import type { DialectDriver, DeployDriver, Session } from '../core/dialect/index.js';
import type { Plan, PlanStep } from '../core/plan.js';
import type { DeployRecord, StepRecord } from '../core/deploy.js';

export interface UndoOutcome {
  rolledBack: string[];
  errors: { step: string; message: string }[];
  /** A done step that cannot be undone without losing data stopped the rollback here. */
  stoppedAt: string | null;
}

export interface UndoOptions {
  lockTimeoutMs: number;
  attempts: number;
  /** Undo steps marked irreversible too (their rollback loses writes made since). */
  acceptDataLoss: boolean;
  /** Keep the steps up to and including this one (rollback --to). */
  keep?: string;
  onStep?: (step: string) => void | Promise<void>;
}

/**
 * Undo the steps of `record` that are done or were left running (a crash mid-step), last
 * first. Stops at a point of no return unless acceptDataLoss.
 */
export async function undoSteps(
  driver: DialectDriver,
  deploy: DeployDriver,
  session: Session,
  plan: Plan,
  record: DeployRecord,
  options: UndoOptions,
): Promise<UndoOutcome> {
  const outcome: UndoOutcome = { rolledBack: [], errors: [], stoppedAt: null };
  const keepUntil = options.keep === undefined ? -1 : plan.steps.findIndex((s) => s.id === options.keep);
  for (let i = plan.steps.length - 1; i > keepUntil; i--) {
    const step = plan.steps[i];
    const state = record.steps[i];
    if (!step || !state) continue;
    // A transactional step caught running by a crash was rolled back by the server with it.
    if (state.status === 'running' && step.transactional) {
      state.status = 'rolled back';
      await deploy.journal.markStep(session, record.id, i, state);
      continue;
    }
    const failedOutside = state.status === 'failed' && !step.transactional;
    if (state.status !== 'done' && state.status !== 'running' && !failedOutside) continue;
    if (state.status === 'done' && !step.reversible && !options.acceptDataLoss) {
      outcome.stoppedAt = step.id;
      break;
    }
    await options.onStep?.(step.id);
    // Nothing to run and nothing was kept (a DROP TABLE without --archive): saying "rolled
    // back" here would claim the table is back.
    if (state.status === 'done' && !step.reversible && step.rollback.length === 0) {
      outcome.errors.push({
        step: step.id,
        message: `cannot be undone: ${step.destroysData ? 'the data it dropped is gone' : 'it has no rollback SQL'} (${step.description}); restore from a backup`,
      });
      break;
    }
    try {
      for (const unit of undoUnits(step, state)) {
        try {
          await undoStep(driver, deploy, { ...step, rollback: unit.sql }, session, options);
        } catch (error) {
          // The statement in flight at a crash may never have run: its inverse then finds
          // nothing to undo. A lock wait is still a failure.
          if (!unit.uncertain || deploy.errors.kind(error) !== 'other') throw error;
        }
      }
      state.status = 'rolled back';
      state.finishedAt = new Date().toISOString();
      await deploy.journal.markStep(session, record.id, i, state);
      outcome.rolledBack.push(step.id);
    } catch (error) {
      outcome.errors.push({ step: step.id, message: (error as Error).message });
      break; // undoing earlier steps on top of a half-undone later one would make it worse
    }
  }
  return outcome;
}

/**
 * What undoes `step` as the journal left it, in order. A step whose statements were counted
 * (no transactional DDL) and did not finish is undone statement by statement, last first, with
 * its per-statement inverses: only what ran. `uncertain`: the statement was running at a crash.
 */
export function undoUnits(step: PlanStep, state: StepRecord): { sql: string[]; uncertain: boolean }[] {
  const done = state.statementsDone;
  const whole = [{ sql: step.rollback, uncertain: false }];
  if (state.status === 'done' || done === undefined || done >= step.sql.length) return whole;
  const inFlight = state.status === 'running';
  const perStatement = step.statementRollback;
  if (!perStatement) {
    if (done > 0) return whole; // half applied, no per-statement inverses: the report says which ran
    return inFlight ? [{ sql: step.rollback, uncertain: true }] : [];
  }
  const units: { sql: string[]; uncertain: boolean }[] = [];
  if (inFlight) units.push({ sql: perStatement[done] ?? [], uncertain: true });
  for (let i = done - 1; i >= 0; i--) units.push({ sql: perStatement[i] ?? [], uncertain: false });
  return units.filter((u) => u.sql.length > 0);
}

async function undoStep(
  driver: DialectDriver,
  deploy: DeployDriver,
  step: PlanStep,
  session: Session,
  options: UndoOptions,
): Promise<void> {
  if (step.rollback.length === 0) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await driver.steps.undo(session, step, { lockTimeoutMs: options.lockTimeoutMs });
      return;
    } catch (error) {
      const kind = deploy.errors.kind(error);
      if ((kind !== 'lock timeout' && kind !== 'deadlock') || attempt >= options.attempts) throw error;
      await new Promise((r) =>
        setTimeout(r, Math.min(5_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2)),
      );
    }
  }
}

/** Drop the leftovers (INVALID indexes) that were not there before the deploy; returns what happened. */
export async function dropNewLeftovers(
  deploy: DeployDriver,
  session: Session,
  before: readonly string[],
): Promise<{ name: string; dropped: boolean }[]> {
  const out: { name: string; dropped: boolean }[] = [];
  for (const name of await deploy.leftovers.list(session)) {
    if (before.includes(name)) continue;
    out.push({ name, dropped: await deploy.leftovers.drop(session, name) });
  }
  return out;
}
