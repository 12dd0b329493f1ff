/**
 * The deploy journal read back is input too: rows someone edited by hand, a restore from an
 * older backup or a half-applied migration of the journal itself. Before status, rollback or a
 * resumed deploy acts on it, every row is checked against what deploy wrote (the plan against
 * the plan schema and its hash, each step's id, status and checksum against the plan). A
 * damaged journal is reported as such, with what to do, instead of an internal error or a
 * rollback that "rolled back nothing".
 */
import { z } from 'zod';
import { SchemapilotError } from '../core/errors.js';
import { checkJson } from '../core/json-input.js';
import type { Plan } from '../core/plan.js';
import { planSchema } from '../core/plan-schema.js';
import type { JournalRows } from '../core/dialect/deploy.js';
import type { DeployStatus, StepStatus } from '../core/deploy.js';

/** Where PostgreSQL's journal is and how to set it aside (JournalStore.damagedHint). */
const POSTGRES_HINT = {
  where: 'schema "schemapilot"',
  repair:
    'restore schemapilot.deploys and schemapilot.journal from a backup, or set the journal aside with ALTER SCHEMA schemapilot RENAME TO schemapilot_damaged so that the next deploy starts a new one',
};

export class JournalDamagedError extends SchemapilotError {
  constructor(
    /** What is wrong, without the advice. */
    readonly what: string,
    cause?: unknown,
    hint: { where: string; repair: string } = POSTGRES_HINT,
  ) {
    super(
      `the deploy journal (${hint.where}) is damaged: ${what}. Nothing was changed. Check the live schema by hand (schemapilot inspect); then ${hint.repair}`,
      { exitCode: 1, cause },
    );
    this.name = 'JournalDamagedError';
  }
}

const DEPLOY_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'rolled back',
  'rollback failed',
] as const satisfies readonly DeployStatus[];
const STEP_STATUSES = [
  'pending',
  'running',
  'done',
  'failed',
  'rolled back',
  'skipped',
] as const satisfies readonly StepStatus[];

/** What status, the incident report and a resumed deploy read of an attempt; more keys may follow. */
const attempt = z.looseObject({
  attempt: z.int().min(1),
  startedAt: z.string(),
  durationMs: z.number().min(0),
  error: z.looseObject({ sqlstate: z.string().nullable(), message: z.string() }).nullable(),
  blockers: z.array(z.looseObject({})),
  blocked: z.array(z.looseObject({})),
});

const backfill = z.looseObject({
  rows: z.int().min(0),
  batches: z.int().min(0),
  lastKey: z.string().nullable(),
  rowsPerSecond: z.number().min(0),
  throttled: z.int().min(0),
});

/**
 * The deploy's plan, once its rows are what deploy wrote; otherwise JournalDamagedError.
 * `planHash` and `stepChecksum` are journal.ts's (passed in, so this file needs no database);
 * the rows come from the dialect's journal store.
 */
export function checkJournal(
  rows: JournalRows,
  hashes: { planHash(plan: Plan): string; stepChecksum(step: Plan['steps'][number]): string },
): Plan {
  const { deploy } = rows;
  const where = `deploy ${deploy.id}`;
  if (!(DEPLOY_STATUSES as readonly string[]).includes(deploy.status))
    throw new JournalDamagedError(`${where} has the unknown status "${deploy.status}"`);
  const checked = checkJson(planSchema, deploy.plan);
  if ('problem' in checked)
    throw new JournalDamagedError(`${where}: its plan is not a plan (${checked.problem})`);
  const plan = checked.value;
  if (hashes.planHash(plan) !== deploy.planHash)
    throw new JournalDamagedError(`${where}: its plan was changed after it was deployed (hash)`);
  if (rows.steps.length !== plan.steps.length)
    throw new JournalDamagedError(
      `${where} has ${rows.steps.length} step row(s) in schemapilot.journal for the ${plan.steps.length} step(s) of its plan`,
    );
  plan.steps.forEach((step, i) => {
    const row = rows.steps[i];
    if (!row) return;
    const at = `${where}, step ${i + 1}`;
    if (row.id !== step.id)
      throw new JournalDamagedError(`${at} is "${row.id}" in the journal and "${step.id}" in the plan`);
    if (!(STEP_STATUSES as readonly string[]).includes(row.status))
      throw new JournalDamagedError(`${at} (${step.id}) has the unknown status "${row.status}"`);
    if (row.checksum !== hashes.stepChecksum(step))
      throw new JournalDamagedError(`${at} (${step.id}): its SQL differs from what was deployed (checksum)`);
    const attempts = checkJson(z.array(attempt), row.attempts);
    if ('problem' in attempts)
      throw new JournalDamagedError(`${at} (${step.id}): attempts ${attempts.problem}`);
    const progress = checkJson(backfill.nullable(), row.backfill);
    if ('problem' in progress)
      throw new JournalDamagedError(`${at} (${step.id}): backfill progress ${progress.problem}`);
    const counted = checkJson(z.int().min(0).max(step.sql.length).nullish(), row.statementsDone);
    if ('problem' in counted)
      throw new JournalDamagedError(`${at} (${step.id}): statements done ${counted.problem}`);
  });
  return plan;
}
