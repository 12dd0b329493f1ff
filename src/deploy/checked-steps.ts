/**
 * The part of a dialect's step runner (core/dialect/driver.ts StepRunner) that is the same for
 * every database: `apply` runs the pre-checks, the step and the post-checks, `rollback` the
 * step's rollback, each failure an error naming the step with exit code 1 (the migration, not
 * the input, went wrong). A dialect gives `run`, `undo` and `check`; MySQL and SQLite share this.
 */
import type { Session, StepRunner } from '../core/dialect/driver.js';
import { SchemapilotError } from '../core/errors.js';
import type { PlanStep } from '../core/plan.js';

type Parts = Pick<StepRunner, 'run' | 'undo' | 'check'>;

/** `runner` is called at each use, so the runner object can spread this into itself. */
export function checkedSteps(runner: () => Parts): Pick<StepRunner, 'apply' | 'rollback'> {
  return {
    async apply(session: Session, step: PlanStep) {
      const parts = runner();
      for (const check of step.preChecks)
        if (!(await parts.check(session, check)))
          throw stepFailed(step, `pre-check failed: ${check.description}`);
      try {
        await parts.run(session, step);
      } catch (error) {
        throw stepFailed(step, messageOf(error), error);
      }
      for (const check of step.postChecks)
        if (!(await parts.check(session, check)))
          throw stepFailed(step, `post-check failed: ${check.description}`);
    },
    async rollback(session: Session, step: PlanStep) {
      if (step.rollback.length === 0) return;
      try {
        await runner().undo(session, step);
      } catch (error) {
        throw stepFailed(step, `rollback failed: ${messageOf(error)}`, error);
      }
    },
  };
}

function stepFailed(step: PlanStep, message: string, cause?: unknown): SchemapilotError {
  return new SchemapilotError(`${step.id}: ${message}`, { exitCode: 1, cause });
}

/** The driver's message, with its error code when it has a string one (`SQLITE_BUSY`, `ER_…`). */
function messageOf(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown };
  const code = typeof e.code === 'string' ? ` (${e.code})` : '';
  return `${typeof e.message === 'string' ? e.message : String(error)}${code}`;
}
