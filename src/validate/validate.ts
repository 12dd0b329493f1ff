/**
 * validatePlan(): prove a plan on a scratch database. Clone the schema (and optionally data),
 * run every step while tracing what each statement locks and rewrites, compare that with the
 * engine's prediction, check the result equals what the migration as written produces on a
 * twin copy, then run the rollback and check the schema is back to the original.
 * Only the scratch server is written to; the target is read (inspect, pg_dump, sampled rows).
 */
import type pg from 'pg';
import type { Plan, PlanStep } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { analyze } from '../api/analyze.js';
import { planStepFiles } from '../api/plan.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import { connectPostgres } from '../dialects/postgres/connect.js';
import { quoteQualified } from '../dialects/postgres/quote.js';
import { nonTransactionalBody, transactionalBody } from '../formats/write/common.js';
import { inspectPostgres } from '../dialects/postgres/introspect.js';
import { applySteps, rollbackStep, rollbackSteps, runCheck } from '../executor/apply.js';
import type { MigrationFile } from '../core/migration.js';
import { diffSnapshots, type SchemaDifference } from '../schema/diff.js';
import { compareTrace, type Prediction } from './compare.js';
import {
  copySampleRows,
  readNullFractions,
  synthesizeRows,
  type NullFraction,
  type TableDataReport,
} from '../dialects/postgres/validate/synthesize.js';
import { loadSchema, runAsWritten, type SchemaSource } from '../dialects/postgres/validate/load.js';
import type { ScratchDatabase, ScratchServer } from '../dialects/postgres/scratch/scratch.js';
import { traceInOpenTransaction, traceStatement, TraceError, type StatementTrace } from '../dialects/postgres/validate/trace.js';
import type { ValidationFinding, ValidationResult, StatementRun, StepRun } from './types.js';

export type DataOption =
  | { kind: 'none' }
  | {
      kind: 'synthesize';
      rowsPerTable: number;
      /** A database (the live target) whose pg_stats NULL shares the synthesized rows follow. */
      nullFractionsFrom?: string;
    }
  | { kind: 'sample'; rowsPerTable: number; sourceUrl: string };

export interface ValidateOptions {
  plan: Plan;
  /** The migration as written: its result on a twin copy is the intent the plan must meet. */
  original: readonly MigrationFile[];
  schema: SchemaSource;
  scratch: ScratchServer;
  data?: DataOption;
  config?: ResolvedConfig;
  /**
   * The engine's prediction for each statement of each step (by step id). Defaults to
   * analysing the plan's steps; a test passes a deliberately wrong one to see mismatches.
   */
  predict?: (plan: Plan, before: SchemaSnapshot) => Promise<Map<string, Prediction[]>>;
  onProgress?: (message: string) => void;
}

export async function validatePlan(options: ValidateOptions): Promise<ValidationResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const findings: ValidationFinding[] = [];
  const databases: ScratchDatabase[] = [];
  try {
    const main = await options.scratch.createDatabase();
    databases.push(main);
    progress(`cloning the schema onto a scratch database (PostgreSQL ${options.scratch.major})`);
    const load = await withClient(main.url, (c) => loadSchema(c, options.schema));
    for (const w of load.warnings) findings.push({ check: 'clone', severity: 'warning', message: w });
    const data = await loadData(main.url, options);
    const before = await inspectPostgres(main.url);
    // A pristine copy proves the rollback up to a point of no return, if the plan has one.
    const pristine = options.plan.steps.some((s) => !s.reversible)
      ? await options.scratch.createDatabase(main.name)
      : undefined;
    if (pristine) databases.push(pristine);
    const twin = await options.scratch.createDatabase(main.name);
    databases.push(twin);

    progress('running the migration as written on a twin copy');
    const asWritten = await withClient(twin.url, (c) => runAsWritten(c, options.original));
    if (asWritten)
      findings.push({
        check: 'as-written',
        severity: 'warning',
        message: `as written, the migration fails on the scratch copy: ${asWritten.file}:${asWritten.line}: ${asWritten.message}${asWritten.sqlstate ? ` (SQLSTATE ${asWritten.sqlstate})` : ''}`,
      });
    const intended = asWritten ? null : await inspectPostgres(twin.url);

    const predictions = await (options.predict ?? predictFromEngine(options.config))(options.plan, before);
    const existing = new Set(before.tables.map((t) => `${t.schema}.${t.name}`));
    progress(`applying ${options.plan.steps.length} step(s) with lock tracing`);
    const { steps, applied } = await withClient(main.url, (c) =>
      runSteps(c, main.url, options.plan, predictions, existing),
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

    let intent: ValidationResult['intent'];
    if (failed) intent = { checked: false, reason: 'a step failed', differences: [] };
    else if (!intended)
      intent = { checked: false, reason: 'the migration as written failed', differences: [] };
    else {
      const differences = withoutArchive(diffSnapshots(intended, await inspectPostgres(main.url)));
      intent = { checked: true, differences };
      for (const d of differences)
        findings.push({
          check: 'intent',
          severity: 'error',
          message: `differs from the migration as written: ${describe(d)}`,
        });
    }

    progress('rolling back');
    const rollback = await checkRollback(main.url, options.plan, applied, before, pristine);
    for (const d of rollback.differences)
      findings.push({
        check: 'rollback',
        severity: 'error',
        message: `not restored by the rollback: ${describe(d)}`,
      });
    if (rollback.error) findings.push({ check: 'rollback', severity: 'error', message: rollback.error });
    if (rollback.reason) findings.push({ check: 'rollback', severity: 'warning', message: rollback.reason });

    return {
      scratch: {
        major: options.scratch.major,
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

async function loadData(url: string, options: ValidateOptions): Promise<TableDataReport[]> {
  const data = options.data ?? { kind: 'none' };
  if (data.kind === 'none') return [];
  const snapshot = await inspectPostgres(url);
  if (data.kind === 'synthesize') {
    options.onProgress?.(`synthesizing ${data.rowsPerTable} rows per table`);
    let nullFraction: NullFraction | undefined;
    if (data.nullFractionsFrom !== undefined) {
      const source = await connectPostgres(data.nullFractionsFrom, {
        applicationName: 'schemapilot validate',
        readOnly: true,
      });
      try {
        nullFraction = await readNullFractions(source);
      } finally {
        await source.end().catch(() => undefined);
      }
    }
    return withClient(url, (c) => synthesizeRows(c, snapshot, data.rowsPerTable, { nullFraction }));
  }
  options.onProgress?.(`copying up to ${data.rowsPerTable} real rows per table (--sample-rows)`);
  return withClient(
    data.sourceUrl,
    (source) =>
      withClient(url, async (target) => {
        const report = await copySampleRows(source, target, snapshot, data.rowsPerTable);
        await target.query('ANALYZE');
        return report;
      }),
    true,
  );
}

/** The engine's analysis of the plan's own step files, grouped by step. */
function predictFromEngine(config: ResolvedConfig = DEFAULT_CONFIG) {
  return async (plan: Plan, before: SchemaSnapshot): Promise<Map<string, Prediction[]>> => {
    const result = await analyze({ files: planStepFiles(plan), snapshot: before, config });
    const out = new Map<string, Prediction[]>();
    const steps = new Map(plan.steps.map((s) => [s.id, s]));
    result.statements.forEach((s, i) => {
      const list = out.get(s.file) ?? [];
      // The engine does not look inside a DO block (a backfill loop): the step's own lock stands in.
      const lock = steps.get(s.file)?.lock;
      const emptiesTable = result.run.details[i]?.facts.some((f) => f.emptiesTable) ?? false;
      const prediction = { ...s, emptiesTable };
      list.push(
        s.locks.length === 0 && lock && /^DO\b/i.test(s.sql) ? { ...prediction, locks: [lock] } : prediction,
      );
      out.set(s.file, list);
    });
    return out;
  };
}

/** Statements as deploy runs them: the step's timeouts, then its SQL (as planStepFiles writes them). */
function stepStatements(step: PlanStep): string[] {
  return step.transactional ? transactionalBody(step) : nonTransactionalBody(step);
}

const SESSION_SETTING = /^\s*(SET|RESET)\s/i;

async function runSteps(
  client: pg.Client,
  url: string,
  plan: Plan,
  predictions: Map<string, Prediction[]>,
  existing: ReadonlySet<string>,
): Promise<{ steps: StepRun[]; applied: PlanStep[] }> {
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
    try {
      for (const check of step.preChecks)
        if (!(await runCheck(client, check))) throw new StepError(`pre-check failed: ${check.description}`);
      if (step.transactional) await client.query('BEGIN');
      const statements = stepStatements(step);
      for (const [i, sql] of statements.entries()) {
        const prediction = predicted[i];
        run.statements.push(await runStatement(client, url, step, sql, prediction, existing));
      }
      if (step.transactional) await client.query('COMMIT');
      applied.push(step);
      for (const check of step.postChecks)
        if (!(await runCheck(client, check))) throw new StepError(`post-check failed: ${check.description}`);
    } catch (error) {
      if (step.transactional) await client.query('ROLLBACK').catch(() => undefined);
      // A failed step outside a transaction may have left something behind (an INVALID index):
      // its rollback cleans up, as deploy does.
      if (!step.transactional && !applied.includes(step)) applied.push(step);
      const e = error as { message?: string; code?: string };
      run.error = {
        message: (e.message ?? String(error)).replace(/^statement failed: /, ''),
        ...(e.code ? { sqlstate: e.code } : {}),
      };
      run.durationMs = Date.now() - started;
      break;
    }
    run.durationMs = Date.now() - started;
  }
  return { steps, applied };
}

class StepError extends Error {}

async function runStatement(
  client: pg.Client,
  url: string,
  step: PlanStep,
  sql: string,
  prediction: Prediction | undefined,
  existing: ReadonlySet<string>,
): Promise<StatementRun> {
  const started = Date.now();
  if (SESSION_SETTING.test(sql)) {
    await client.query(sql);
    return { sql, durationMs: Date.now() - started, traced: null, mismatches: [] };
  }
  let trace: StatementTrace;
  try {
    trace = step.transactional
      ? await traceInOpenTransaction(client, sql)
      : await traceStatement(client, sql, {
          mode: 'blocked',
          connect: () => connectPostgres(url),
          // A session holding ROW EXCLUSIVE (an open writer) on each table the statement
          // touches makes it stop while the monitor looks: at its own lock request when that
          // conflicts, or (a concurrent build or drop) at its wait for older writers, with its
          // own lock granted. A short statement would otherwise finish between two samples.
          blockers: (prediction?.locks ?? [])
            .filter((l) => existing.has(l.table))
            .map((l) => `LOCK TABLE ${quoteQualified(l.table)} IN ROW EXCLUSIVE MODE`),
          timeoutMs: step.statementTimeoutMs > 0 ? step.statementTimeoutMs : 600_000,
        });
  } catch (error) {
    if (error instanceof TraceError) throw Object.assign(new Error(error.message), { code: error.code });
    throw error;
  }
  return {
    sql,
    durationMs: Date.now() - started,
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
    },
    predicted: prediction ? { locks: prediction.locks, rewritesTable: prediction.rewritesTable } : undefined,
    mismatches: prediction ? compareTrace(prediction, trace, existing) : [],
  };
}

/**
 * Undo the applied steps on the scratch database and compare with the original schema. A plan
 * with a point of no return (a step marked irreversible: the column swap of a type change,
 * a drop) cannot be undone past it; then the rollback of every step before it is proven on a
 * pristine copy instead, which is what deploy's automatic rollback relies on.
 */
async function checkRollback(
  url: string,
  plan: Plan,
  applied: readonly PlanStep[],
  before: SchemaSnapshot,
  pristine: ScratchDatabase | undefined,
): Promise<ValidationResult['rollback']> {
  const lossy = applied.filter((s) => s.destroysData);
  let failure: string | undefined;
  try {
    await withClient(url, async (c) => {
      for (const step of [...applied].reverse()) await rollbackStep(c, step);
    });
  } catch (error) {
    failure = (error as Error).message;
  }
  const differences = failure ? [] : withoutArchive(diffSnapshots(before, await inspectPostgres(url)));
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
    await withClient(pristine.url, async (c) => {
      await applySteps(c, prefix);
      await rollbackSteps(c, prefix);
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
    differences: withoutArchive(diffSnapshots(before, await inspectPostgres(pristine.url))),
    reason: `rollback is proven up to ${noReturn.id}; from ${noReturn.id} on the plan only goes forward (${noReturn.description})`,
  };
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

async function withClient<T>(
  url: string,
  body: (client: pg.Client) => Promise<T>,
  /** The target database, read only; scratch databases run plan steps of any length. */
  readOnly = false,
): Promise<T> {
  const client = await connectPostgres(url, { applicationName: 'schemapilot validate', readOnly });
  try {
    return await body(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
