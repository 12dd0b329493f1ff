/** PostgreSQL's step runner (the driver's `steps`): script.ts executed, and printed. */
import type { StepRunner } from '../../../core/dialect/driver.js';
import { pgClient } from '../session.js';
import { applyStep, rollbackStep, runCheck } from './apply.js';
import { outsideTransaction, rollbackScript, runScript, stepScript, stepText } from './script.js';

export const postgresSteps: StepRunner = {
  apply: (session, step) => applyStep(pgClient(session), step),
  rollback: (session, step) => rollbackStep(pgClient(session), step),
  check: (session, check) => runCheck(pgClient(session), check),
  run: (session, step, beforeCommit) => runScript(pgClient(session), stepScript(step), beforeCommit),
  async undo(session, step, options) {
    if (step.rollback.length === 0) return;
    await runScript(pgClient(session), rollbackScript(step, options?.lockTimeoutMs));
  },
  text: stepText,
  outsideTransaction,
};
