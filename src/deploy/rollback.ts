/**
 * rollbackDeploy(): undo the last deploy from the journal (`schemapilot rollback`), including a
 * deploy that crashed mid-way: a step left running is cleaned up, done steps are undone last
 * first, and a point of no return stops it unless the caller accepts the data loss.
 */
import { InputError } from '../core/errors.js';
import type pg from 'pg';
import { connectPostgres, setQueryDeadline } from '../dialects/postgres/connect.js';
import { deadlineFor, queryTimeoutMs } from '../core/timeouts.js';
import { finishDeploy, readDeploy } from './journal.js';
import { acquireDeployLock, releaseDeployLock } from './lock.js';
import { undoSteps, type UndoOutcome } from './undo.js';
import { backendIsWorking } from './watchdog.js';

export interface RollbackOptions {
  url: string;
  /** Keep the steps up to and including this one. */
  to?: string;
  acceptDataLoss?: boolean;
  lockTimeoutMs?: number;
  onStep?: (step: string) => void | Promise<void>;
}

export interface RollbackResult extends UndoOutcome {
  deployId: number;
  /** Every step that was applied is undone (or kept by `to`). */
  complete: boolean;
}

export async function rollbackDeploy(options: RollbackOptions): Promise<RollbackResult> {
  const deadlineMs = deadlineFor(queryTimeoutMs());
  const client = await connectPostgres(options.url, { applicationName: 'schemapilot rollback', deadlineMs });
  // As in deploy: a rollback statement may rebuild an index for long; a second connection tells
  // that apart from a connection that stopped answering.
  let observer: pg.Client | undefined;
  try {
    observer = await connectPostgres(options.url, { applicationName: 'schemapilot watchdog', deadlineMs });
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
    setQueryDeadline(client, deadlineMs, () => backendIsWorking(observer, pid));
    await acquireDeployLock(client, 'rollback');
    const found = await readDeploy(client);
    if (!found) throw new InputError('nothing to roll back: the journal has no deploy');
    const { record, plan } = found;
    if (options.to !== undefined && !plan.steps.some((s) => s.id === options.to))
      throw new InputError(
        `--to ${options.to}: deploy ${record.id} has no such step (${plan.steps.map((s) => s.id).join(', ')})`,
      );
    const undo = await undoSteps(client, plan, record, {
      lockTimeoutMs: options.lockTimeoutMs ?? 2_000,
      attempts: 5,
      acceptDataLoss: options.acceptDataLoss === true,
      ...(options.to !== undefined ? { keep: options.to } : {}),
      ...(options.onStep ? { onStep: options.onStep } : {}),
    });
    const complete = undo.errors.length === 0 && undo.stoppedAt === null;
    if (complete && options.to === undefined) await finishDeploy(client, record.id, 'rolled back');
    else if (!complete) await finishDeploy(client, record.id, 'rollback failed');
    return { ...undo, deployId: record.id, complete };
  } finally {
    await releaseDeployLock(client);
    await client.end().catch(() => undefined);
    await observer?.end().catch(() => undefined);
  }
}
