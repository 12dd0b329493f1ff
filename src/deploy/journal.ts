/**
 * The deploy journal: schema `schemapilot` on the target (left out of `inspect` and of schema
 * hashes). One row per deploy with its plan, one row per step with its status, checksum,
 * attempts and backfill progress. A transactional step marks itself done inside its own
 * transaction, so the journal cannot claim a step that did not commit, or miss one that did.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Plan, PlanStep } from '../core/plan.js';
import { canonicalJson } from '../schema/canonical-json.js';
import { checkJournal, isJournalShapeError, JournalDamagedError } from './journal-check.js';
import type {
  AttemptRecord,
  BackfillProgress,
  DeployRecord,
  DeployStatus,
  StepRecord,
  StepStatus,
} from '../core/deploy.js';

const DDL = [
  'CREATE SCHEMA IF NOT EXISTS schemapilot',
  `CREATE TABLE IF NOT EXISTS schemapilot.deploys (
     id bigserial PRIMARY KEY,
     plan_hash text NOT NULL,
     source_schema_hash text,
     status text NOT NULL,
     plan jsonb NOT NULL,
     started_at timestamptz NOT NULL DEFAULT now(),
     finished_at timestamptz,
     ran_by text NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS schemapilot.journal (
     deploy_id bigint NOT NULL REFERENCES schemapilot.deploys (id),
     position integer NOT NULL,
     step_id text NOT NULL,
     phase text NOT NULL,
     description text NOT NULL,
     checksum text NOT NULL,
     status text NOT NULL,
     attempts jsonb NOT NULL DEFAULT '[]',
     backfill jsonb,
     started_at timestamptz,
     finished_at timestamptz,
     PRIMARY KEY (deploy_id, position)
   )`,
];

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

/** Creates the journal's schema and tables when missing (the first deploy on a database). */
export async function ensureJournal(client: pg.Client): Promise<void> {
  // Two first deploys racing on CREATE ... IF NOT EXISTS can still collide on the catalog;
  // the caller holds the deploy advisory lock, so they cannot.
  for (const sql of DDL) await client.query(sql);
}

export async function journalExists(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT to_regclass('schemapilot.journal') IS NOT NULL AS ok`,
  );
  return rows[0]?.ok ?? false;
}

export async function startDeploy(client: pg.Client, plan: Plan): Promise<DeployRecord> {
  const { rows } = await client.query<{ id: string; started_at: Date; ran_by: string }>(
    `INSERT INTO schemapilot.deploys (plan_hash, source_schema_hash, status, plan, ran_by)
     VALUES ($1, $2, 'running', $3, current_user || '@' || coalesce(inet_client_addr()::text, 'local'))
     RETURNING id::text, started_at, ran_by`,
    [planHash(plan), plan.sourceSchemaHash, JSON.stringify(plan)],
  );
  const row = rows[0];
  if (!row) throw new Error('could not record the deploy in schemapilot.deploys');
  const id = Number(row.id);
  for (const [position, step] of plan.steps.entries()) {
    await client.query(
      `INSERT INTO schemapilot.journal (deploy_id, position, step_id, phase, description, checksum, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending')`,
      [id, position, step.id, step.phase, step.description, stepChecksum(step)],
    );
  }
  return {
    id,
    planHash: planHash(plan),
    sourceSchemaHash: plan.sourceSchemaHash,
    status: 'running',
    startedAt: row.started_at.toISOString(),
    finishedAt: null,
    ranBy: row.ran_by,
    steps: plan.steps.map((step) => ({
      id: step.id,
      phase: step.phase,
      description: step.description,
      status: 'pending',
      checksum: stepChecksum(step),
      attempts: [],
      startedAt: null,
      finishedAt: null,
    })),
  };
}

interface DeployRow {
  id: string;
  plan_hash: string;
  source_schema_hash: string | null;
  status: DeployStatus;
  plan: Plan;
  started_at: Date;
  finished_at: Date | null;
  ran_by: string;
}

interface StepRow {
  step_id: string;
  phase: StepRecord['phase'];
  description: string;
  checksum: string;
  status: StepStatus;
  attempts: AttemptRecord[];
  backfill: BackfillProgress | null;
  started_at: Date | null;
  finished_at: Date | null;
}

/** The newest deploy (or the one with `id`), with its plan and steps; null when there is none. */
export async function readDeploy(
  client: pg.Client,
  id?: number,
): Promise<{ record: DeployRecord; plan: Plan } | null> {
  if (!(await journalExists(client))) return null;
  const { rows } = await journalQuery(() =>
    client.query<DeployRow>(
      `SELECT id::text, plan_hash, source_schema_hash, status, plan, started_at, finished_at, ran_by
       FROM schemapilot.deploys WHERE ($1::bigint IS NULL OR id = $1) ORDER BY id DESC LIMIT 1`,
      [id ?? null],
    ),
  );
  const d = rows[0];
  if (!d) return null;
  const steps = await journalQuery(() =>
    client.query<StepRow>(
      `SELECT step_id, phase, description, checksum, status, attempts, backfill, started_at, finished_at
       FROM schemapilot.journal WHERE deploy_id = $1 ORDER BY position`,
      [d.id],
    ),
  );
  // Typed rows are only what the query says they are: check them before anything trusts them.
  const plan = checkJournal({ deploy: d, steps: steps.rows }, { planHash, stepChecksum });
  return {
    plan,
    record: {
      id: Number(d.id),
      planHash: d.plan_hash,
      sourceSchemaHash: d.source_schema_hash,
      status: d.status,
      startedAt: d.started_at.toISOString(),
      finishedAt: d.finished_at?.toISOString() ?? null,
      ranBy: d.ran_by,
      steps: steps.rows.map((s) => ({
        id: s.step_id,
        phase: s.phase,
        description: s.description,
        status: s.status,
        checksum: s.checksum,
        attempts: s.attempts,
        startedAt: s.started_at?.toISOString() ?? null,
        finishedAt: s.finished_at?.toISOString() ?? null,
        ...(s.backfill ? { backfill: s.backfill } : {}),
      })),
    },
  };
}

/** A read of the journal; a table or column missing or changed means the journal is damaged. */
async function journalQuery<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isJournalShapeError(error))
      throw new JournalDamagedError(`reading it failed (${(error as Error).message})`, error);
    throw error;
  }
}

/** Every deploy, newest first, without steps (for `status --all`). */
export async function listDeploys(
  client: pg.Client,
  limit = 20,
): Promise<Pick<DeployRecord, 'id' | 'status' | 'startedAt' | 'finishedAt' | 'ranBy'>[]> {
  if (!(await journalExists(client))) return [];
  const { rows } = await journalQuery(() =>
    client.query<Pick<DeployRow, 'id' | 'status' | 'started_at' | 'finished_at' | 'ran_by'>>(
      `SELECT id::text, status, started_at, finished_at, ran_by FROM schemapilot.deploys ORDER BY id DESC LIMIT $1`,
      [limit],
    ),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    status: r.status,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    ranBy: r.ran_by,
  }));
}

/** Record a step's status; `client` may be inside the step's own transaction. */
export async function markStep(
  client: pg.Client,
  deployId: number,
  position: number,
  record: StepRecord,
): Promise<void> {
  await client.query(
    `UPDATE schemapilot.journal
     SET status = $3, attempts = $4, backfill = $5, started_at = $6, finished_at = $7
     WHERE deploy_id = $1 AND position = $2`,
    [
      deployId,
      position,
      record.status,
      JSON.stringify(record.attempts),
      record.backfill ? JSON.stringify(record.backfill) : null,
      record.startedAt,
      record.finishedAt,
    ],
  );
}

export async function finishDeploy(client: pg.Client, deployId: number, status: DeployStatus): Promise<void> {
  await client.query(
    `UPDATE schemapilot.deploys SET status = $2, finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE now() END WHERE id = $1`,
    [deployId, status],
  );
}
