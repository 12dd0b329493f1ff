/**
 * rollbackDeploy(): undo the last deploy from the journal (`schemapilot rollback`), including a
 * deploy that crashed mid-way: a step left running is cleaned up, done steps are undone last
 * first, and a point of no return stops it unless the caller accepts the data loss.
 */
import type { Dialect, Session } from '../core/dialect/index.js';
import { InputError } from '../core/errors.js';
import { deadlineFor, queryTimeoutMs } from '../core/timeouts.js';
import { deployerOf } from './driver.js';
import { readDeploy } from './journal.js';
import { acquireDeployLock } from './lock.js';
import { undoSteps, type UndoOutcome } from './undo.js';

export interface RollbackOptions {
  /** The target's dialect (its driver runs the rollback SQL and reads the journal). */
  dialect: Dialect;
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
  const { driver, deploy } = deployerOf(options.dialect);
  const deadlineMs = deadlineFor(queryTimeoutMs());
  const session = await driver.connect(options.url, { applicationName: 'schemapilot rollback', deadlineMs });
  // As in deploy: a rollback statement may rebuild an index for long; a second connection tells
  // that apart from a connection that stopped answering.
  let observer: Session | undefined;
  try {
    observer = await driver.connect(options.url, { applicationName: 'schemapilot watchdog', deadlineMs });
    const watch = observer;
    const { pid } = await deploy.probes.identify(session);
    deploy.probes.keepWaitingWhile(session, () => deploy.probes.isWorking(watch, pid));
    await acquireDeployLock(deploy, session, 'rollback');
    const found = await readDeploy(deploy, session);
    if (!found) throw new InputError('nothing to roll back: the journal has no deploy');
    const { record, plan } = found;
    if (options.to !== undefined && !plan.steps.some((s) => s.id === options.to))
      throw new InputError(
        `--to ${options.to}: deploy ${record.id} has no such step (${plan.steps.map((s) => s.id).join(', ')})`,
      );
    const undo = await undoSteps(driver, deploy, session, plan, record, {
      lockTimeoutMs: options.lockTimeoutMs ?? 2_000,
      attempts: 5,
      acceptDataLoss: options.acceptDataLoss === true,
      ...(options.to !== undefined ? { keep: options.to } : {}),
      ...(options.onStep ? { onStep: options.onStep } : {}),
    });
    const complete = undo.errors.length === 0 && undo.stoppedAt === null;
    if (complete && options.to === undefined) await deploy.journal.finish(session, record.id, 'rolled back');
    else if (!complete) await deploy.journal.finish(session, record.id, 'rollback failed');
    return { ...undo, deployId: record.id, complete };
  } finally {
    await deploy.lock.release(session);
    await session.close().catch(() => undefined);
    await observer?.close().catch(() => undefined);
  }
}
