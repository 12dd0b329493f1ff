/**
 * What a rerun picks up from the journal: which earlier deploy it goes on with, and what a
 * crash may have left of the statement that was running when it stopped.
 */
import type { DialectDriver, Session } from '../core/dialect/index.js';
import type { DeployRecord, StepRecord } from '../core/deploy.js';
import type { Plan, PlanStep } from '../core/plan.js';
import { planHash } from './journal.js';
import { undoQuietlyWith } from './steps.js';

/**
 * A deploy of this same plan that failed and was left as it was (--no-auto-rollback): a rerun
 * goes on with it, as the incident report says, instead of starting over on top of it.
 */
export function resumable(record: DeployRecord, plan: Plan): boolean {
  return record.status === 'failed' && record.planHash === planHash(plan);
}

/**
 * Undo, ignoring errors, what a crash may have left of the statement that was running: the
 * whole step when its statements are not counted or it was at its first one (its rollback),
 * else that statement's own inverse. Without one, the statement reruns as it is and fails if
 * it had committed, which the report then shows.
 */
export async function undoInFlight(
  driver: DialectDriver,
  session: Session,
  step: PlanStep,
  state: StepRecord,
): Promise<void> {
  const k = state.statementsDone;
  if (k !== undefined && k >= step.sql.length) return; // all committed; only "done" was not journaled
  const inverse = k === undefined ? undefined : step.statementRollback?.[k];
  if (inverse) return undoQuietlyWith(driver, session, { ...step, rollback: inverse });
  if (k === undefined || k === 0) return undoQuietlyWith(driver, session, step);
}
