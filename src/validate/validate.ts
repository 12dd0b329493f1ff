/**
 * validatePlan(): prove a plan on a scratch database. Clone the schema (and optionally data),
 * run every step while tracing what each statement locks and rewrites, compare that with the
 * engine's prediction, check the result equals what the migration as written produces on a
 * twin copy, then run the rollback and check the schema is back to the original.
 * Only the scratch server is written to; the target is read (inspect, pg_dump, sampled rows).
 */
import type { Dialect } from '../core/dialect/index.js';
import type { DialectDriver, Session, StepRunner } from '../core/dialect/driver.js';
import type { ScratchDatabase, ScratchServer } from '../core/dialect/scratch.js';
import type {
  NullFraction,
  SchemaSource,
  TableDataReport,
  TracedStatement,
  ValidationDriver,
} from '../core/dialect/validation.js';
import { InputError } from '../core/errors.js';
import type { MigrationFile } from '../core/migration.js';
import type { Plan, PlanCheck, PlanStep } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { lockModelOf, type LockModel } from '../core/locks.js';
import { diffSnapshots, type SchemaDifference } from '../schema/diff.js';
import { compareTrace, type Prediction } from './compare.js';
import type { ValidationFinding, ValidationResult, StatementRun, StepRun } from './types.js';

export type DataOption =
  | { kind: 'none' }
  | {
      kind: 'synthesize';
      rowsPerTable: number;
      /** A database (the live target) whose NULL shares (its statistics: pg_stats) the synthesized rows follow. */
      nullFractionsFrom?: string;
    }
  | { kind: 'sample'; rowsPerTable: number; sourceUrl: string };

/** The server work validate asks of a dialect: its driver, and the driver's validation half. */
interface Server {
  driver: DialectDriver;
  validation: ValidationDriver;
  title: string;
  /** The dialect's lock modes and their strengths (PostgreSQL's table locks, MySQL's metadata locks). */
  locks: LockModel;
}

export interface ValidatePlanOptions {
  /** Whose scratch server, sessions, step runner and tracer prove the plan. */
  dialect: Dialect;
  plan: Plan;
  /** The migration as written: its result on a twin copy is the intent the plan must meet. */
  original: readonly MigrationFile[];
  schema: SchemaSource;
  /** Opened through `dialect.scratch` (src/validate/scratch.ts's `withScratch` closes it). */
  scratch: ScratchServer;
  data?: DataOption;
  /**
   * The engine's prediction for each statement of each step (by step id), in the order the
   * dialect's `traceStep` runs them. The public API (src/api/validate.ts) analyses the plan's
   * own step files; a test passes a deliberately wrong one to see mismatches.
   */
  predict: (plan: Plan, before: SchemaSnapshot) => Promise<Map<string, Prediction[]>>;
  onProgress?: (message: string) => void;
}

export async function validatePlan(options: ValidatePlanOptions): Promise<ValidationResult> {
  const started = Date.now();
  const server = serverOf(options.dialect);
  const { validation } = server;
  const progress = options.onProgress ?? (() => undefined);
  const findings: ValidationFinding[] = [];
  const databases: ScratchDatabase[] = [];
  try {
    const main = await options.scratch.createDatabase();
    databases.push(main);
    progress(
      `cloning the schema onto a scratch database (${options.scratch.title ?? `${server.title} ${options.scratch.major}`})`,
    );
    const load = await withSession(server, main.url, (s) => validation.loadSchema(s, options.schema));
    for (const w of load.warnings) findings.push({ check: 'clone', severity: 'warning', message: w });
    const data = await loadData(server, main.url, options);
    const before = await inspectScratch(server, main.url);
    // A pristine copy proves the rollback up to a point of no return, if the plan has one.
    const pristine = options.plan.steps.some((s) => !s.reversible)
      ? await options.scratch.createDatabase(main.name)
      : undefined;
    if (pristine) databases.push(pristine);
    const twin = await options.scratch.createDatabase(main.name);
    databases.push(twin);

    progress('running the migration as written on a twin copy');
    const asWritten = await withSession(server, twin.url, (s) =>
      validation.runAsWritten(s, options.original),
    );
    if (asWritten)
      findings.push({
        check: 'as-written',
        severity: 'warning',
        message: `as written, the migration fails on the scratch copy: ${asWritten.file}:${asWritten.line}: ${asWritten.message}${asWritten.sqlstate ? ` (SQLSTATE ${asWritten.sqlstate})` : ''}`,
      });
    const intended = asWritten ? null : await inspectScratch(server, twin.url);

    const predictions = await options.predict(options.plan, before);
    const existing = new Set(before.tables.map((t) => `${t.schema}.${t.name}`));
    progress(`applying ${options.plan.steps.length} step(s) with lock tracing`);
    const { steps, applied } = await withSession(server, main.url, (s) =>
      runSteps(server, s, main.url, options.plan, predictions, existing),
    );
    for (const run of steps) {
      for (const statement of run.statements)
        for (const m of statement.mismatches)
          findings.push({ check: 'trace', severity: m.severity, step: run.step, message: m.message });
      if (run.error)
        findings.push({
          check: 'step',
          severity: 'error',
          step: run.step,
          message: `${run.step} failed: ${run.error.message}${run.error.sqlstate ? ` (SQLSTATE ${run.error.sqlstate})` : ''}`,
        });
    }
    const failed = steps.some((s) => s.error);
    await checkIntegrity(server, main.url, 'after the plan', findings);

    let intent: ValidationResult['intent'];
    if (failed) intent = { checked: false, reason: 'a step failed', differences: [] };
    else if (!intended)
      intent = { checked: false, reason: 'the migration as written failed', differences: [] };
    else {
      const differences = withoutArchive(diffSnapshots(intended, await inspectScratch(server, main.url)));
      intent = { checked: true, differences };
      for (const d of differences)
        findings.push({
          check: 'intent',
          severity: 'error',
          message: `differs from the migration as written: ${describe(d)}`,
        });
    }

    progress('rolling back');
    const rollback = await checkRollback(server, main.url, options.plan, applied, before, pristine);
    for (const d of rollback.differences)
      findings.push({
        check: 'rollback',
        severity: 'error',
        message: `not restored by the rollback: ${describe(d)}`,
      });
    if (rollback.error) findings.push({ check: 'rollback', severity: 'error', message: rollback.error });
    await checkIntegrity(server, main.url, 'after the rollback', findings);
    if (rollback.reason) findings.push({ check: 'rollback', severity: 'warning', message: rollback.reason });

    return {
      scratch: {
        major: options.scratch.major,
        ...(options.scratch.title ? { server: options.scratch.title } : {}),
        kind: options.scratch.kind,
        ...(options.scratch.warning ? { warning: options.scratch.warning } : {}),
      },
      clone: load.method,
      data,
      steps,
      intent,
      rollback,
      findings,
      passed: !findings.some((f) => f.severity === 'error'),
      durationMs: Date.now() - started,
    };
  } finally {
    for (const db of databases.reverse()) await db.drop().catch(() => undefined);
  }
}

function serverOf(dialect: Dialect): Server {
  const driver = dialect.driver;
  const validation = driver?.validation;
  if (!driver || !validation)
    throw new InputError(`validate is not available for ${dialect.title}: its driver cannot trace a plan`);
  return { driver, validation, title: dialect.title, locks: lockModelOf(dialect.name) };
}

async function loadData(
  server: Server,
  url: string,
  options: ValidatePlanOptions,
): Promise<TableDataReport[]> {
  const data = options.data ?? { kind: 'none' };
  if (data.kind === 'none') return [];
  const { validation } = server;
  const snapshot = await server.driver.inspect(url);
  if (data.kind === 'synthesize') {
    options.onProgress?.(`synthesizing ${data.rowsPerTable} rows per table`);
    let nullFraction: NullFraction | undefined;
    if (data.nullFractionsFrom !== undefined)
      nullFraction = await withSession(
        server,
        data.nullFractionsFrom,
        (s) => validation.readNullFractions(s),
        true,
      );
    return withSession(server, url, (s) =>
      validation.synthesizeRows(s, snapshot, data.rowsPerTable, { nullFraction }),
    );
  }
  options.onProgress?.(`copying up to ${data.rowsPerTable} real rows per table (--sample-rows)`);
  return withSession(
    server,
    data.sourceUrl,
    (source) =>
      withSession(server, url, (target) =>
        validation.copySample(source, target, snapshot, data.rowsPerTable),
      ),
    true,
  );
}

async function runSteps(
  server: Server,
  session: Session,
  url: string,
  plan: Plan,
  predictions: Map<string, Prediction[]>,
  existing: ReadonlySet<string>,
): Promise<{ steps: StepRun[]; applied: PlanStep[] }> {
  const { steps: runner } = server.driver;
  const steps: StepRun[] = [];
  const applied: PlanStep[] = [];
  for (const step of plan.steps) {
    const run: StepRun = {
      step: step.id,
      phase: step.phase,
      transactional: step.transactional,
      statements: [],
      durationMs: 0,
    };
    steps.push(run);
    const started = Date.now();
    const predicted = predictions.get(step.id) ?? [];
    let error = await failedCheck(runner, session, step.preChecks, 'pre-check');
    if (!error) {
      const traced = await server.validation.traceStep(session, step, {
        url,
        lockedTables: (i) =>
          (predicted[i]?.locks ?? []).filter((l) => existing.has(l.table)).map((l) => l.table),
      });
      run.statements = traced.statements.map((t, i) => statementRun(t, predicted[i], existing, server.locks));
      error = traced.error;
      if (!error) {
        applied.push(step);
        error = await failedCheck(runner, session, step.postChecks, 'post-check');
      }
    }
    run.durationMs = Date.now() - started;
    if (error) {
      // A failed step outside a transaction may have left something behind (an INVALID index):
      // its rollback cleans up, as deploy does.
      if (!step.transactional && !applied.includes(step)) applied.push(step);
      run.error = error;
      break;
    }
  }
  return { steps, applied };
}

/** The first check that does not hold (or that the server refuses to answer), as a step error. */
async function failedCheck(
  runner: StepRunner,
  session: Session,
  checks: readonly PlanCheck[],
  kind: 'pre-check' | 'post-check',
): Promise<StepRun['error']> {
  try {
    for (const check of checks)
      if (!(await runner.check(session, check))) return { message: `${kind} failed: ${check.description}` };
    return undefined;
  } catch (error) {
    const e = error as { message?: string; code?: string };
    return { message: e.message ?? String(error), ...(e.code ? { sqlstate: e.code } : {}) };
  }
}

function statementRun(
  statement: TracedStatement,
  prediction: Prediction | undefined,
  existing: ReadonlySet<string>,
  locks: LockModel,
): StatementRun {
  const { sql, durationMs, trace } = statement;
  if (!trace) return { sql, durationMs, traced: null, mismatches: [] };
  return {
    sql,
    durationMs,
    traced: {
      // Indexes are locked along with their table (ACCESS SHARE while read); the table's lock is what matters.
      locks: trace.locks
        .filter(
          (l) =>
            l.existedBefore && l.kind !== 'index' && l.kind !== 'partitioned index' && l.kind !== 'sequence',
        )
        .map((l) => ({ relation: l.relation, mode: l.mode })),
      rewrittenTables: trace.rewrittenTables,
      rebuiltIndexes: trace.rebuiltIndexes.map((i) => i.index),
      ...(trace.online ? { online: trace.online } : {}),
    },
    predicted: prediction
      ? {
          locks: prediction.locks,
          rewritesTable: prediction.rewritesTable,
          ...(prediction.algorithm ? { algorithm: prediction.algorithm } : {}),
          ...(prediction.blocksWrites !== undefined ? { blocksWrites: prediction.blocksWrites } : {}),
        }
      : undefined,
    mismatches: prediction ? compareTrace(prediction, trace, existing, locks) : [],
  };
}

/**
 * Undo the applied steps on the scratch database and compare with the original schema. A plan
 * with a point of no return (a step marked irreversible: the column swap of a type change,
 * a drop) cannot be undone past it; then the rollback of every step before it is proven on a
 * pristine copy instead, which is what deploy's automatic rollback relies on.
 */
async function checkRollback(
  server: Server,
  url: string,
  plan: Plan,
  applied: readonly PlanStep[],
  before: SchemaSnapshot,
  pristine: ScratchDatabase | undefined,
): Promise<ValidationResult['rollback']> {
  const { steps: runner } = server.driver;
  const lossy = applied.filter((s) => s.destroysData);
  let failure: string | undefined;
  try {
    await withSession(server, url, async (s) => {
      for (const step of [...applied].reverse()) await runner.rollback(s, step);
    });
  } catch (error) {
    failure = (error as Error).message;
  }
  const differences = failure ? [] : withoutArchive(diffSnapshots(before, await inspectScratch(server, url)));
  if (!failure && differences.length === 0) {
    // Without the archive the rollback brings back a dropped column's definition, not its data.
    if (lossy.length > 0)
      return {
        checked: true,
        differences,
        reason: `rollback restores the structure only: ${lossy.map((s) => s.id).join(', ')} ${lossy.length === 1 ? 'destroys' : 'destroy'} data (plan with --archive to keep it)`,
      };
    // Undone here, but past a point of no return only on request: say where deploy stops.
    const noReturn = applied.find((s) => !s.reversible);
    if (!noReturn) return { checked: true, differences };
    return {
      checked: true,
      differences,
      reason: `rollback is proven for every step, but ${noReturn.id} is a point of no return (${noReturn.description}): deploy's automatic rollback stops before it, and undoing it needs schemapilot rollback --accept-data-loss (writes made since may be lost)`,
    };
  }
  const cut = plan.steps.findIndex((s) => !s.reversible);
  const noReturn = plan.steps[cut];
  if (!noReturn || !pristine || !applied.includes(noReturn))
    return failure ? { checked: false, differences: [], error: failure } : { checked: true, differences };
  const prefix = plan.steps.slice(0, cut);
  try {
    await withSession(server, pristine.url, async (s) => {
      for (const step of prefix) await runner.apply(s, step);
      for (const step of [...prefix].reverse()) await runner.rollback(s, step);
    });
  } catch (error) {
    return {
      checked: false,
      differences: [],
      error: `rollback before ${noReturn.id}: ${(error as Error).message}`,
    };
  }
  return {
    checked: true,
    differences: withoutArchive(diffSnapshots(before, await inspectScratch(server, pristine.url))),
    reason: `rollback is proven up to ${noReturn.id}; from ${noReturn.id} on the plan only goes forward (${noReturn.description})`,
  };
}

/** The dialect's own check of the database (SQLite: integrity_check, foreign_key_check), each problem an error. */
async function checkIntegrity(
  server: Server,
  url: string,
  when: string,
  findings: ValidationFinding[],
): Promise<void> {
  if (!server.validation.checkIntegrity) return;
  const problems = await withSession(
    server,
    url,
    async (s) => (await server.validation.checkIntegrity?.(s)) ?? [],
  );
  for (const p of problems)
    findings.push({ check: 'integrity', severity: 'error', message: `${when}: ${p}` });
}

/** The plan's archive schema holds copies of dropped data on purpose; it is not a difference. */
function withoutArchive(differences: SchemaDifference[]): SchemaDifference[] {
  return differences.filter(
    (d) => !/\bschemapilot_archive\./.test(d.object) && d.object !== 'schema schemapilot_archive',
  );
}

function describe(d: SchemaDifference): string {
  return `${d.object} ${d.change}${d.detail ? ` (${d.detail})` : ''}`;
}

/**
 * A scratch database's snapshot, as the dialect compares it with another copy's (MySQL: under
 * the target's database name, since each copy is a database of its own).
 */
async function inspectScratch(server: Server, url: string): Promise<SchemaSnapshot> {
  const snapshot = await server.driver.inspect(url);
  return server.validation.comparable?.(snapshot) ?? snapshot;
}

async function withSession<T>(
  server: Server,
  url: string,
  body: (session: Session) => Promise<T>,
  /** The target database, read only; scratch databases run plan steps of any length. */
  readOnly = false,
): Promise<T> {
  const session = await server.driver.connect(url, { applicationName: 'schemapilot validate', readOnly });
  try {
    return await body(session);
  } finally {
    await session.close().catch(() => undefined);
  }
}
