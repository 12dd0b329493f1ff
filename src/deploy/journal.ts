/**
 * The deploy journal, as the engine sees it: a deploy's record and its plan, read through the
 * dialect's journal store (its SQL lives with the dialect) and checked before anything trusts
 * it. A transactional step marks itself done inside its own transaction, so the journal cannot
 * claim a step that did not commit, or miss one that did.
 */
import { createHash } from 'node:crypto';
import type { DeployDriver, DeploySummary, Session } from '../core/dialect/index.js';
import type { DeployRecord, StepRecord } from '../core/deploy.js';
import type { Plan, PlanStep } from '../core/plan.js';
import { canonicalJson } from '../schema/canonical-json.js';
import { checkJournal, JournalDamagedError } from './journal-check.js';

export function planHash(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}

export function stepChecksum(step: PlanStep): string {
  return createHash('sha256')
    .update(
      canonicalJson({ sql: step.sql, transactional: step.transactional, backfill: step.backfill ?? null }),
    )
    .digest('hex');
}

/** Record a new running deploy of `plan`, every step pending. */
export async function startDeploy(driver: DeployDriver, session: Session, plan: Plan): Promise<DeployRecord> {
  const hash = planHash(plan);
  const checksums = plan.steps.map(stepChecksum);
  const row = await driver.journal.start(session, plan, { planHash: hash, stepChecksums: checksums });
  return {
    id: row.id,
    planHash: hash,
    sourceSchemaHash: plan.sourceSchemaHash,
    status: 'running',
    startedAt: row.startedAt,
    finishedAt: null,
    ranBy: row.ranBy,
    steps: plan.steps.map((step, i): StepRecord => ({
      id: step.id,
      phase: step.phase,
      description: step.description,
      status: 'pending',
      checksum: checksums[i] ?? stepChecksum(step),
      attempts: [],
      startedAt: null,
      finishedAt: null,
    })),
  };
}

/** The newest deploy (or the one with `id`), with its plan and steps; null when there is none. */
export async function readDeploy(
  driver: DeployDriver,
  session: Session,
  id?: number,
): Promise<{ record: DeployRecord; plan: Plan } | null> {
  const rows = await journalQuery(driver, () => driver.journal.read(session, id));
  if (!rows) return null;
  // Rows are only what the query says they are: check them before anything trusts them.
  let plan: Plan;
  try {
    plan = checkJournal(rows, { planHash, stepChecksum });
  } catch (error) {
    throw withHint(driver, error);
  }
  const d = rows.deploy;
  return {
    plan,
    record: {
      id: d.id,
      planHash: d.planHash,
      sourceSchemaHash: d.sourceSchemaHash,
      // checkJournal has checked the statuses.
      status: d.status as DeployRecord['status'],
      startedAt: d.startedAt,
      finishedAt: d.finishedAt,
      ranBy: d.ranBy,
      steps: rows.steps.map((s) => ({
        id: s.id,
        phase: s.phase as StepRecord['phase'],
        description: s.description,
        status: s.status as StepRecord['status'],
        checksum: s.checksum,
        attempts: s.attempts as StepRecord['attempts'],
        startedAt: s.startedAt,
        finishedAt: s.finishedAt,
        ...(s.backfill ? { backfill: s.backfill as NonNullable<StepRecord['backfill']> } : {}),
        // checkJournal has checked it is a count within the step's statements.
        ...(typeof s.statementsDone === 'number' ? { statementsDone: s.statementsDone } : {}),
      })),
    },
  };
}

/** Every deploy, newest first, without steps (for `status --all`). */
export function listDeploys(driver: DeployDriver, session: Session, limit = 20): Promise<DeploySummary[]> {
  return journalQuery(driver, () => driver.journal.list(session, limit));
}

/** A read of the journal; a table or column missing or changed means the journal is damaged. */
async function journalQuery<T>(driver: DeployDriver, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (driver.journal.isShapeError(error))
      throw withHint(
        driver,
        new JournalDamagedError(`reading it failed (${(error as Error).message})`, error),
      );
    throw error;
  }
}

/** The dialect's words for where its journal is and how to set it aside. */
function withHint(driver: DeployDriver, error: unknown): unknown {
  const hint = driver.journal.damagedHint;
  if (!(error instanceof JournalDamagedError) || !hint) return error;
  return new JournalDamagedError(error.what, error.cause, hint);
}
