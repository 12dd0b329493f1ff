/**
 * The deploy journal in PostgreSQL: schema `schemapilot` on the target (left out of `inspect`
 * and of schema hashes). One row per deploy with its plan (jsonb), one row per step with its
 * status, checksum, attempts and backfill progress. What the rows mean, and checking them, is
 * src/deploy/journal.ts's.
 */
import type pg from 'pg';
import type { JournalRows, JournalStore } from '../../../core/dialect/deploy.js';
import type { AttemptRecord, BackfillProgress, DeployStatus, StepStatus } from '../../../core/deploy.js';
import type { Plan } from '../../../core/plan.js';
import { pgClient } from '../session.js';

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
  phase: string;
  description: string;
  checksum: string;
  status: StepStatus;
  attempts: AttemptRecord[];
  backfill: BackfillProgress | null;
  started_at: Date | null;
  finished_at: Date | null;
}

async function journalExists(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT to_regclass('schemapilot.journal') IS NOT NULL AS ok`,
  );
  return rows[0]?.ok ?? false;
}

export const postgresJournal: JournalStore = {
  async ensure(session) {
    // Two first deploys racing on CREATE ... IF NOT EXISTS can still collide on the catalog;
    // the caller holds the deploy advisory lock, so they cannot.
    for (const sql of DDL) await pgClient(session).query(sql);
  },

  async start(session, plan, hashes) {
    const client = pgClient(session);
    const { rows } = await client.query<{ id: string; started_at: Date; ran_by: string }>(
      `INSERT INTO schemapilot.deploys (plan_hash, source_schema_hash, status, plan, ran_by)
       VALUES ($1, $2, 'running', $3, current_user || '@' || coalesce(inet_client_addr()::text, 'local'))
       RETURNING id::text, started_at, ran_by`,
      [hashes.planHash, plan.sourceSchemaHash, JSON.stringify(plan)],
    );
    const row = rows[0];
    if (!row) throw new Error('could not record the deploy in schemapilot.deploys');
    const id = Number(row.id);
    for (const [position, step] of plan.steps.entries()) {
      await client.query(
        `INSERT INTO schemapilot.journal (deploy_id, position, step_id, phase, description, checksum, status)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending')`,
        [id, position, step.id, step.phase, step.description, hashes.stepChecksums[position]],
      );
    }
    return { id, startedAt: row.started_at.toISOString(), ranBy: row.ran_by };
  },

  async read(session, id): Promise<JournalRows | null> {
    const client = pgClient(session);
    if (!(await journalExists(client))) return null;
    const { rows } = await client.query<DeployRow>(
      `SELECT id::text, plan_hash, source_schema_hash, status, plan, started_at, finished_at, ran_by
       FROM schemapilot.deploys WHERE ($1::bigint IS NULL OR id = $1) ORDER BY id DESC LIMIT 1`,
      [id ?? null],
    );
    const d = rows[0];
    if (!d) return null;
    const steps = await client.query<StepRow>(
      `SELECT step_id, phase, description, checksum, status, attempts, backfill, started_at, finished_at
       FROM schemapilot.journal WHERE deploy_id = $1 ORDER BY position`,
      [d.id],
    );
    return {
      deploy: {
        id: Number(d.id),
        planHash: d.plan_hash,
        sourceSchemaHash: d.source_schema_hash,
        status: d.status,
        plan: d.plan,
        startedAt: d.started_at.toISOString(),
        finishedAt: d.finished_at?.toISOString() ?? null,
        ranBy: d.ran_by,
      },
      steps: steps.rows.map((s) => ({
        id: s.step_id,
        phase: s.phase,
        description: s.description,
        checksum: s.checksum,
        status: s.status,
        attempts: s.attempts,
        backfill: s.backfill,
        startedAt: s.started_at?.toISOString() ?? null,
        finishedAt: s.finished_at?.toISOString() ?? null,
      })),
    };
  },

  async list(session, limit) {
    const client = pgClient(session);
    if (!(await journalExists(client))) return [];
    const { rows } = await client.query<
      Pick<DeployRow, 'id' | 'status' | 'started_at' | 'finished_at' | 'ran_by'>
    >(
      `SELECT id::text, status, started_at, finished_at, ran_by FROM schemapilot.deploys ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      status: r.status,
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      ranBy: r.ran_by,
    }));
  },

  async markStep(session, deployId, position, record) {
    await pgClient(session).query(
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
  },

  async finish(session, deployId, status) {
    await pgClient(session).query(
      `UPDATE schemapilot.deploys SET status = $2, finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE now() END WHERE id = $1`,
      [deployId, status],
    );
  },

  async appendAttempt(session, deployId, position, attempt) {
    const { rows } = await pgClient(session).query<{ status: StepStatus }>(
      `UPDATE schemapilot.journal SET attempts = attempts || $3::jsonb
        WHERE deploy_id = $1 AND position = $2 RETURNING status`,
      [deployId, position, JSON.stringify(attempt ? [attempt] : [])],
    );
    return rows[0]?.status ?? null;
  },

  isShapeError(error) {
    const code = (error as { code?: unknown }).code;
    // 42xxx: undefined table or column, wrong type in an expression; 22xxx: data that does not convert.
    return typeof code === 'string' && (code.startsWith('42') || code.startsWith('22'));
  },
};
