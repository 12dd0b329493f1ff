/**
 * Apply a plan's steps to a database, and undo them, on a `pg.Client`: the plain mechanics
 * (transactions, timeouts, checks) of script.ts with checks and errors that name the step.
 * `validate` runs these on a scratch database; deploy runs the same scripts with its journal,
 * retries and watchdog around them (src/deploy). Exported for library users (src/index.ts).
 */
import type pg from 'pg';
import { SchemapilotError } from '../../../core/errors.js';
import type { PlanCheck, PlanStep } from '../../../core/plan.js';
import { rollbackScript, runScript, stepScript } from './script.js';

export class StepFailedError extends SchemapilotError {
  readonly step: string;
  readonly sqlstate: string | undefined;
  constructor(step: PlanStep, message: string, sqlstate?: string, cause?: unknown) {
    super(`${step.id}: ${message}`, { exitCode: 1, cause });
    this.name = 'StepFailedError';
    this.step = step.id;
    this.sqlstate = sqlstate;
  }
}

export async function runCheck(client: pg.Client, check: PlanCheck): Promise<boolean> {
  const { rows } = await client.query<Record<string, unknown>>(check.sql);
  const first = rows[0];
  const value = first ? Object.values(first)[0] : undefined;
  return value === true;
}

/** Execute one step: pre-checks, its SQL (in one transaction or outside any), post-checks. */
export async function applyStep(client: pg.Client, step: PlanStep): Promise<void> {
  for (const check of step.preChecks) {
    if (!(await runCheck(client, check)))
      throw new StepFailedError(step, `pre-check failed: ${check.description}`);
  }
  try {
    await runScript(client, stepScript(step));
  } catch (error) {
    const e = error as { message?: string; code?: string };
    throw new StepFailedError(step, e.message ?? String(error), e.code, error);
  }
  for (const check of step.postChecks) {
    if (!(await runCheck(client, check)))
      throw new StepFailedError(step, `post-check failed: ${check.description}`);
  }
}

/** Undo one step with its rollback SQL; CONCURRENTLY statements run outside a transaction. */
export async function rollbackStep(client: pg.Client, step: PlanStep): Promise<void> {
  if (step.rollback.length === 0) return;
  try {
    await runScript(client, rollbackScript(step));
  } catch (error) {
    const e = error as { message?: string; code?: string };
    throw new StepFailedError(step, `rollback failed: ${e.message ?? String(error)}`, e.code, error);
  }
}

/** Apply steps in order; stops at the first failure (the failed step's transaction is rolled back). */
export async function applySteps(client: pg.Client, steps: readonly PlanStep[]): Promise<void> {
  for (const step of steps) await applyStep(client, step);
}

/** Undo steps, last first. */
export async function rollbackSteps(client: pg.Client, steps: readonly PlanStep[]): Promise<void> {
  for (const step of [...steps].reverse()) await rollbackStep(client, step);
}
