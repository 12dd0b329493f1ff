/**
 * A plan step as PostgreSQL runs it: the one definition of its statements (timeouts, SQL,
 * resets) and of its transaction. The runner (runner.ts) executes these scripts; migration
 * files (src/formats/write) print them through the driver's `text`, so a written file and a
 * deploy send the same statements.
 */
import type pg from 'pg';
import type { PlanStep } from '../../../core/plan.js';

/** Statements around the step's SQL; `setup` and `cleanup` hold session settings only. */
export interface StepScript {
  /** Run as one transaction (BEGIN … COMMIT); otherwise statement by statement. */
  transaction: boolean;
  setup: string[];
  body: readonly string[];
  /** Run after the body even when it failed (outside a transaction), errors ignored. */
  cleanup: string[];
}

const ms = (n: number) => `'${n}ms'`;

/**
 * A transactional step's timeouts are SET LOCAL: they end with the transaction, so they never
 * leak into the next step. A step outside a transaction sets them for the session and resets
 * them after.
 */
export function stepScript(step: PlanStep): StepScript {
  if (step.transactional)
    return {
      transaction: true,
      setup: [
        `SET LOCAL lock_timeout = ${ms(step.lockTimeoutMs)}`,
        `SET LOCAL statement_timeout = ${ms(step.statementTimeoutMs)}`,
      ],
      body: step.sql,
      cleanup: [],
    };
  return {
    transaction: false,
    setup: [
      `SET lock_timeout = ${ms(step.lockTimeoutMs)}`,
      `SET statement_timeout = ${ms(step.statementTimeoutMs)}`,
    ],
    body: step.sql,
    cleanup: ['RESET lock_timeout', 'RESET statement_timeout'],
  };
}

/**
 * A step's rollback: in one transaction unless a statement refuses one (CONCURRENTLY), with a
 * lock_timeout when given (deploy's rollback retries on it rather than queue behind a long
 * transaction and lock the table it is rescuing).
 */
export function rollbackScript(step: PlanStep, lockTimeoutMs?: number): StepScript {
  const transaction = !outsideTransaction(step.rollback);
  const timeout = lockTimeoutMs === undefined ? [] : [ms(Math.round(lockTimeoutMs))];
  return {
    transaction,
    setup: timeout.map((t) => (transaction ? `SET LOCAL lock_timeout = ${t}` : `SET lock_timeout = ${t}`)),
    body: step.rollback,
    cleanup: transaction || lockTimeoutMs === undefined ? [] : ['RESET lock_timeout'],
  };
}

/** The statements of a script in order, without transaction control (a migration file's body). */
export function scriptText(script: StepScript): string[] {
  return [...script.setup, ...script.body, ...script.cleanup];
}

/** What a migration file holds for `step`: its timeouts, its SQL, the resets. */
export function stepText(step: PlanStep): string[] {
  return scriptText(stepScript(step));
}

/**
 * True when some statement cannot run inside a transaction block. Only the CONCURRENTLY index
 * statements appear in rollbacks.
 */
export function outsideTransaction(sql: readonly string[]): boolean {
  return sql.some((s) => /\bCONCURRENTLY\b/i.test(s));
}

/**
 * Execute a script. In a transaction: BEGIN, the statements, `beforeCommit`, COMMIT (ROLLBACK
 * on any error). Outside one: setup, body, cleanup (even after a failure), then `beforeCommit`.
 * Errors come through as the server gave them.
 */
export async function runScript(
  client: pg.Client,
  script: StepScript,
  beforeCommit?: () => Promise<void>,
): Promise<void> {
  if (script.transaction) {
    await client.query('BEGIN');
    try {
      for (const sql of [...script.setup, ...script.body]) await client.query(sql);
      await beforeCommit?.();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return;
  }
  for (const sql of script.setup) await client.query(sql);
  try {
    for (const sql of script.body) await client.query(sql);
  } finally {
    for (const sql of script.cleanup) await client.query(sql).catch(() => undefined);
  }
  await beforeCommit?.();
}
