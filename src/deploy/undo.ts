/**
 * Undoing applied steps on the target, for deploy's automatic rollback and for
 * `schemapilot rollback`: each step's rollback SQL, last step first, with a lock_timeout and
 * retries (a rollback that queues behind a long transaction would lock the table it is trying
 * to rescue), and cleanup of INVALID indexes left by failed concurrent builds.
 */
import type pg from 'pg';
import type { Plan, PlanStep } from '../core/plan.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import { markStep } from './journal.js';
import type { DeployRecord } from '../core/deploy.js';

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
  client: pg.Client,
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
      await markStep(client, record.id, i, state);
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
      await undoStep(client, step, options);
      state.status = 'rolled back';
      state.finishedAt = new Date().toISOString();
      await markStep(client, record.id, i, state);
      outcome.rolledBack.push(step.id);
    } catch (error) {
      outcome.errors.push({ step: step.id, message: (error as Error).message });
      break; // undoing earlier steps on top of a half-undone later one would make it worse
    }
  }
  return outcome;
}

async function undoStep(client: pg.Client, step: PlanStep, options: UndoOptions): Promise<void> {
  if (step.rollback.length === 0) return;
  const concurrent = step.rollback.some((s) => /\bCONCURRENTLY\b/i.test(s));
  for (let attempt = 1; ; attempt++) {
    try {
      if (concurrent) {
        await client.query(`SET lock_timeout = ${Math.round(options.lockTimeoutMs)}`);
        try {
          for (const sql of step.rollback) await client.query(sql);
        } finally {
          await client.query('RESET lock_timeout').catch(() => undefined);
        }
      } else {
        await client.query('BEGIN');
        try {
          await client.query(`SET LOCAL lock_timeout = ${Math.round(options.lockTimeoutMs)}`);
          for (const sql of step.rollback) await client.query(sql);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if ((code !== '55P03' && code !== '40P01') || attempt >= options.attempts) throw error;
      await new Promise((r) =>
        setTimeout(r, Math.min(5_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2)),
      );
    }
  }
}

/** INVALID indexes in user schemas, `schema.name`. */
export async function invalidIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name
     FROM pg_catalog.pg_index i
     JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'`,
  );
  return rows.map((r) => r.name).sort();
}

/** Drop the INVALID indexes that were not there before the deploy; returns what happened. */
export async function dropNewInvalidIndexes(
  client: pg.Client,
  before: readonly string[],
): Promise<{ name: string; dropped: boolean }[]> {
  const out: { name: string; dropped: boolean }[] = [];
  for (const name of await invalidIndexes(client)) {
    if (before.includes(name)) continue;
    const dot = name.indexOf('.');
    const sql = `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
    const dropped = await client.query(sql).then(
      () => true,
      () => false,
    );
    out.push({ name, dropped });
  }
  return out;
}
