/**
 * A deploy whose connection was cut or froze part way. Nothing more can be sent on it, and
 * whether the server finished the statement in flight is unknown, so nothing is rolled back:
 * the journal still says the step is running, a rerun of the same plan resumes and
 * `schemapilot rollback` undoes it (as after a crash). What we can still do is end our own
 * backend if the server kept it (a frozen network leaves it holding its locks and the deploy
 * lock, which would refuse that rerun or rollback), record the lost attempt, and report it.
 */
import type { DialectDriver, DeployDriver, Session } from '../core/dialect/index.js';
import type { Plan } from '../core/plan.js';
import { deadlineFor, queryTimeoutMs } from '../core/timeouts.js';
import type { DeployRecord, Incident, StepRecord } from '../core/deploy.js';

export interface LostConnection {
  driver: DialectDriver;
  deploy: DeployDriver;
  url: string;
  plan: Plan;
  record: DeployRecord;
  /** The step that was running, or the last one when the loss came after every step. */
  position: number;
  error: Error & { cause?: unknown };
  /** Our deploy backend, to end if the server still has it. */
  pid: number;
  /** Its backend_start, so that a reused pid is never ended. */
  backendStart: string;
  /** A second session that may still work (the watchdog's). */
  spare: Session | undefined;
  autoRollback: boolean;
}

export async function lostConnectionIncident(lost: LostConnection): Promise<Incident> {
  const { plan, record, position } = lost;
  const state = record.steps[position] ?? record.steps[record.steps.length - 1];
  const step = plan.steps[position] ?? plan.steps[plan.steps.length - 1];
  if (!state || !step) throw lost.error;
  const cleanup = await endOurBackend(lost, state);
  const attempt = state.attempts[state.attempts.length - 1];
  const sqlstate = attempt?.error?.sqlstate ?? lost.deploy.errors.connectionLostCode;
  return {
    deploy: record,
    failedStep: state,
    failedSql: step.sql,
    error: { sqlstate, message: `${lost.error.message}${cleanup}` },
    cause: 'connection lost',
    rolledBack: [],
    rollbackErrors: [],
    invalidIndexes: [],
    autoRollback: lost.autoRollback,
    schemaRestored: null,
    target: lost.driver.describeTarget(lost.url),
  };
}

/**
 * End the backend of the lost connection (only if it is still ours: same pid, same start
 * time), then add the lost attempt to the journal and read back the step's status there: a
 * COMMIT whose answer was lost may have gone through, and the report must say what the server
 * has, not what we last heard. On the spare connection, or a new one. Returns a sentence for
 * the report when the server could not be reached at all.
 */
async function endOurBackend(lost: LostConnection, state: StepRecord): Promise<string> {
  const work = async (session: Session) => {
    await lost.deploy.probes.terminate(session, lost.pid, lost.backendStart);
    // Its transaction was rolled back as it exited: the journal says what committed.
    const attempt = state.attempts[state.attempts.length - 1];
    const status = await lost.deploy.journal.appendAttempt(session, lost.record.id, lost.position, attempt);
    if (status) state.status = status;
  };
  try {
    if (lost.spare) {
      await work(lost.spare);
      return '';
    }
  } catch {
    // the spare connection is gone too: try a new one
  }
  try {
    const session = await lost.driver.connect(lost.url, {
      applicationName: 'schemapilot deploy cleanup',
      deadlineMs: deadlineFor(queryTimeoutMs()),
    });
    try {
      await work(session);
    } finally {
      await session.close();
    }
    return '';
  } catch (error) {
    return `; the server could not be reached afterwards either (${(error as Error).message}), so our session ${lost.pid} may still hold its locks there until the server notices`;
  }
}
