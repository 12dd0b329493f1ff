/**
 * deploy(): apply a plan to the target database. One deploy per database at a time (the
 * dialect's deploy lock); refuses a plan made for another schema (hash); journals every step so
 * a crashed deploy resumes; on failure rolls back what it applied and returns the incident for
 * the report. Everything the server is asked goes through the dialect's driver.
 */
import type { Dialect, Session } from '../core/dialect/index.js';
import { parseJsonInput } from '../core/json-input.js';
import type { Plan } from '../core/plan.js';
import { planSchema } from '../core/plan-schema.js';
import { deadlineFor, queryTimeoutMs } from '../core/timeouts.js';
import { InputError } from '../core/errors.js';
import { deployerOf, type Deployer } from './driver.js';
import { acquireDeployLock, DeployRefusedError } from './lock.js';
import { planHash, readDeploy, startDeploy, stepChecksum } from './journal.js';
import { ConnectionLost, runStep, StepAbort, type StepEvent, type StepLimits } from './steps.js';
import type { DeployRecord, Incident } from '../core/deploy.js';
import { dropNewLeftovers, undoSteps } from './undo.js';
import { lostConnectionIncident } from './lost.js';
import { resumable, undoInFlight } from './resume.js';
import { Watchdog } from './watchdog.js';

export interface DeployOptions extends StepLimits {
  /** The target's dialect: its driver runs the steps, the journal, the lock and the watchdog. */
  dialect: Dialect;
  url: string;
  plan: Plan;
  /** Undo applied steps when one fails (default true). */
  autoRollback: boolean;
  /** Time allowed for the transactional steps in all (the brief's 30 s). */
  totalBudgetMs: number;
  /** Check everything, apply nothing: no journal, no lock, no statement that writes. */
  dryRun?: boolean;
  /** Deploy a plan that carries no schema hash, without knowing whether the schema drifted. */
  allowUnhashedPlan?: boolean;
  onEvent?: (event: DeployEvent) => void | Promise<void>;
}

export type DeployEvent =
  | StepEvent
  | { type: 'deploy-start'; deployId: number; resumed: boolean; pid: number; steps: number }
  | { type: 'backup'; path: string; reused: boolean }
  | { type: 'step-skip'; step: string; reason: string }
  | { type: 'rollback-step'; step: string }
  | { type: 'deploy-end'; status: DeployRecord['status'] };

export interface DeployResult {
  /** Null for a dry run. */
  deploy: DeployRecord | null;
  resumed: boolean;
  incident: Incident | null;
  /** Steps that would run (dry run) or ran. */
  steps: string[];
  notes: string[];
}

export const DEFAULT_DEPLOY_LIMITS: Omit<DeployOptions, 'dialect' | 'url' | 'plan'> = {
  autoRollback: true,
  maxBlockingMs: 1_000,
  stepBudgetMs: 120_000,
  totalBudgetMs: 30_000,
  maxReplicaLagMs: 5_000,
};

export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const onEvent = options.onEvent ?? (() => undefined);
  // A plan handed to the library is checked as a plan file is, before any connection.
  parseJsonInput(planSchema, options.plan, 'the plan');
  if (options.plan.dialect !== options.dialect.name)
    throw new InputError(
      `the plan: made for ${options.plan.dialect}, and this deploy goes to ${options.dialect.title}`,
    );
  const d = deployerOf(options.dialect);
  // Housekeeping queries get the query timeout's deadline; while a step runs, the watchdog
  // says whether the server is still working on it (a long index build) or the connection is stuck.
  const deadlineMs = deadlineFor(queryTimeoutMs());
  const session = await d.driver.connect(options.url, { applicationName: 'schemapilot deploy', deadlineMs });
  let watch: Session | undefined;
  try {
    if (options.dryRun) return await dryRun(d, session, options);
    await acquireDeployLock(d.deploy, session, 'deploy');
    watch = await d.driver.connect(options.url, { applicationName: 'schemapilot watchdog', deadlineMs });
    return await run(d, session, watch, options, onEvent);
  } finally {
    await d.deploy.lock.release(session);
    await session.close().catch(() => undefined);
    await watch?.close().catch(() => undefined);
  }
}

async function dryRun(d: Deployer, session: Session, options: DeployOptions): Promise<DeployResult> {
  await d.deploy.probes.readOnly(session);
  const notes = [await checkSchema(d, session, options)].filter((n): n is string => n !== null);
  const previous = await readDeploy(d.deploy, session);
  if (previous && resumable(previous.record, options.plan) && previous.record.status === 'failed')
    notes.push(
      `deploy ${previous.record.id} of this plan failed and was not rolled back: a real run resumes it`,
    );
  else if (previous?.record.status === 'running')
    notes.push(
      previous.record.planHash === planHash(options.plan)
        ? `deploy ${previous.record.id} of this plan did not finish: a real run resumes it`
        : `deploy ${previous.record.id} of another plan did not finish: a real run is refused until it is resumed or rolled back`,
    );
  return { deploy: null, resumed: false, incident: null, steps: options.plan.steps.map((s) => s.id), notes };
}

async function run(
  d: Deployer,
  session: Session,
  watch: Session,
  options: DeployOptions,
  onEvent: (event: DeployEvent) => void | Promise<void>,
): Promise<DeployResult> {
  const { plan } = options;
  const notes: string[] = [];
  const previous = await readDeploy(d.deploy, session);
  let record: DeployRecord;
  let resumed = false;
  if (previous && (previous.record.status === 'running' || resumable(previous.record, plan))) {
    if (previous.record.planHash !== planHash(plan))
      throw new DeployRefusedError(
        `deploy ${previous.record.id} (another plan) did not finish: rerun it to resume, or undo it with schemapilot rollback, before deploying a new plan`,
      );
    record = previous.record;
    resumed = true;
    if (record.status !== 'running') {
      // A failed deploy left as it was (--no-auto-rollback): its done steps, and on MySQL the
      // statements of the failed step that committed, stay; it goes on from there.
      record.status = 'running';
      record.finishedAt = null;
      await d.deploy.journal.finish(session, record.id, 'running');
    }
    const changed = plan.steps.find((s, i) => record.steps[i]?.checksum !== stepChecksum(s));
    if (changed)
      throw new DeployRefusedError(`step ${changed.id} differs from the journal's: refusing to resume`);
  } else {
    const drift = await checkSchema(d, session, options);
    if (drift) notes.push(drift);
    await d.deploy.journal.ensure(session);
    record = await startDeploy(d.deploy, session, plan);
  }
  let pid = 0;
  let backendStart = '';
  let position = 0;
  const steps = plan.steps.map((s) => s.id);
  // From here the journal has a deploy: a lost connection is this deploy's failure, reported.
  const lost = async (error: unknown): Promise<DeployResult> => {
    if (!d.deploy.errors.isConnectionError(error) && !(error instanceof ConnectionLost)) throw error;
    const incident = await lostConnectionIncident({
      ...d,
      url: options.url,
      plan,
      record,
      position: Math.min(position, plan.steps.length - 1),
      error: error as Error,
      pid,
      backendStart,
      spare: watch,
      autoRollback: options.autoRollback,
    });
    await onEvent({ type: 'deploy-end', status: record.status });
    return { deploy: record, resumed, incident, steps, notes };
  };
  try {
    ({ pid, started: backendStart } = await d.deploy.probes.identify(session));
    d.deploy.probes.keepWaitingWhile(session, () => d.deploy.probes.isWorking(watch, pid));
    return await runSteps(d, session, watch, options, onEvent, { record, resumed, notes, pid }, (p) => {
      position = p;
    });
  } catch (error) {
    return lost(error);
  }
}

interface Started {
  record: DeployRecord;
  resumed: boolean;
  notes: string[];
  pid: number;
}

async function runSteps(
  d: Deployer,
  session: Session,
  watch: Session,
  options: DeployOptions,
  onEvent: (event: DeployEvent) => void | Promise<void>,
  { record, resumed, notes, pid }: Started,
  at: (position: number) => void,
): Promise<DeployResult> {
  const { plan } = options;
  const leftoversBefore = await d.deploy.leftovers.list(session);
  // Before the first step (after the journal's start, so the copy knows this deploy): what a
  // failed deploy is put back to when the steps' own rollback cannot undo them.
  const backup = d.deploy.backup ? await d.deploy.backup.take(session, record.id) : null;
  if (backup) {
    await onEvent({ type: 'backup', path: backup.path, reused: backup.reused });
    notes.push(`backup of the database before deploy ${record.id}: ${backup.path}`);
  }
  await onEvent({ type: 'deploy-start', deployId: record.id, resumed, pid, steps: plan.steps.length });
  const watchdog = new Watchdog(d.deploy.probes, watch, { maxBlockingMs: options.maxBlockingMs });
  const budget = { remainingMs: options.totalBudgetMs };
  for (const [position, step] of plan.steps.entries()) {
    at(position);
    const state = record.steps[position];
    if (!state) continue;
    if (state.status === 'done' || state.status === 'skipped') {
      await onEvent({ type: 'step-skip', step: step.id, reason: `already ${state.status} (journal)` });
      continue;
    }
    // A concurrent build caught running by a crash may have left an INVALID index: start clean.
    // A step whose statements are counted restarts at the one in flight, undone first.
    if (resumed && state.status === 'running' && !step.transactional && !step.backfill)
      await undoInFlight(d.driver, session, step, state);
    try {
      await runStep(step, state, {
        ...d,
        session,
        pid,
        watchdog,
        deployId: record.id,
        position,
        limits: options,
        budget,
        onEvent,
      });
    } catch (error) {
      if (!(error instanceof StepAbort)) throw error;
      const incident = await handleFailure(
        d,
        session,
        options,
        record,
        position,
        error,
        leftoversBefore,
        onEvent,
        backup?.path ?? null,
      );
      return { deploy: record, resumed, incident, steps: plan.steps.map((s) => s.id), notes };
    }
  }
  try {
    await d.deploy.journal.finish(session, record.id, 'succeeded');
  } catch (error) {
    if (d.deploy.errors.isConnectionError(error)) throw new ConnectionLost('the last journal update', error);
    throw error;
  }
  record.status = 'succeeded';
  await onEvent({ type: 'deploy-end', status: 'succeeded' });
  return { deploy: record, resumed, incident: null, steps: plan.steps.map((s) => s.id), notes };
}

/** The step failed for good: clean up, roll back, and describe what happened. */
async function handleFailure(
  d: Deployer,
  session: Session,
  options: DeployOptions,
  record: DeployRecord,
  position: number,
  abort: StepAbort,
  leftoversBefore: readonly string[],
  onEvent: (event: DeployEvent) => void | Promise<void>,
  backupPath: string | null,
): Promise<Incident> {
  const { plan } = options;
  const step = plan.steps[position];
  const state = record.steps[position];
  if (!step || !state) throw abort;
  try {
    const invalid = await dropNewLeftovers(d.deploy, session, leftoversBefore);
    let rolledBack: string[] = [];
    let rollbackErrors: { step: string; message: string }[] = [];
    if (options.autoRollback) {
      const undo = await undoSteps(d.driver, d.deploy, session, plan, record, {
        lockTimeoutMs: step.lockTimeoutMs,
        attempts: 5,
        acceptDataLoss: false,
        onStep: (id) => onEvent({ type: 'rollback-step', step: id }),
      });
      rolledBack = undo.rolledBack;
      rollbackErrors = undo.errors;
      if (undo.stoppedAt)
        rollbackErrors.push({
          step: undo.stoppedAt,
          message: `not undone: ${undo.stoppedAt} is a point of no return (its rollback would lose writes made since); run schemapilot rollback --accept-data-loss to force it`,
        });
    }
    record.status = !options.autoRollback
      ? 'failed'
      : rollbackErrors.length > 0
        ? 'rollback failed'
        : 'rolled back';
    let restored =
      record.status === 'rolled back' && plan.sourceSchemaHash
        ? (await d.driver.introspect(session)).hash === plan.sourceSchemaHash
        : record.status === 'rolled back'
          ? null
          : false;
    let backup: Incident['backup'];
    const backups = d.deploy.backup;
    if (backupPath !== null && backups) {
      backup = { path: backupPath, restored: false };
      // The steps' rollback could not undo them, or left another schema: the copy taken before
      // the first step is put back (the dialect refuses when others wrote since).
      if (options.autoRollback && (record.status === 'rollback failed' || restored === false)) {
        const put = await backups.restore(session, backupPath);
        if (put.restored) {
          backup.restored = true;
          record.status = 'rolled back';
          for (const state of record.steps)
            if (state.status === 'done' || state.status === 'running') state.status = 'rolled back';
          // The journal went back with the file: its deploy and steps are written again.
          for (const [i, state] of record.steps.entries())
            await d.deploy.journal.markStep(session, record.id, i, state);
          restored = plan.sourceSchemaHash
            ? (await d.driver.introspect(session)).hash === plan.sourceSchemaHash
            : true;
        } else backup.why = put.why;
      }
    }
    await d.deploy.journal.finish(session, record.id, record.status);
    await onEvent({ type: 'deploy-end', status: record.status });
    const lastAttempt = state.attempts[state.attempts.length - 1];
    return {
      deploy: record,
      failedStep: state,
      failedSql: step.sql,
      error: { sqlstate: abort.sqlstate, message: abort.message },
      cause: lastAttempt?.cause ?? abort.reason,
      rolledBack,
      rollbackErrors,
      invalidIndexes: invalid,
      autoRollback: options.autoRollback,
      schemaRestored: restored,
      target: d.driver.describeTarget(options.url),
      ...(backup ? { backup } : {}),
    };
  } catch (error) {
    if (error instanceof StepAbort) throw error;
    throw new ConnectionLost(`the rollback after ${step.id}`, error);
  }
}

/**
 * Null when the live schema is the one the plan was made for; else refuses. A plan without a
 * hash is refused too (the same plan with its hash would be refused on a drifted schema),
 * unless the caller allows it, which is noted.
 */
async function checkSchema(
  d: Deployer,
  session: Session,
  { plan, allowUnhashedPlan }: Pick<DeployOptions, 'plan' | 'allowUnhashedPlan'>,
): Promise<string | null> {
  if (!plan.sourceSchemaHash) {
    if (!allowUnhashedPlan)
      throw new DeployRefusedError(
        'the plan carries no schema hash (planned without --db or --schema), so whether the live schema drifted cannot be checked: plan again against the live database, or pass --allow-unhashed-plan to deploy it anyway',
      );
    return 'the plan carries no schema hash (planned without --db or --schema): deployed without a drift check (--allow-unhashed-plan)';
  }
  const live = await d.driver.introspect(session);
  if (live.hash === plan.sourceSchemaHash) return null;
  // The plan carries the hash, not the snapshot: the difference itself cannot be named here.
  throw new DeployRefusedError(
    `the live schema differs from the one the plan was made for (live ${live.hash.slice(0, 12)}, plan ${plan.sourceSchemaHash.slice(0, 12)}): plan again against the live database`,
  );
}
