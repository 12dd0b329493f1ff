/**
 * plan(): migration files + schema → Plan, wiring the dialect (PostgreSQL unless told otherwise)
 * into the pure planner.
 */
import type { Finding } from '../core/analysis.js';
import type { Plan, PlanOptions } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import type { Dialect } from '../core/dialect/index.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import type { MigrationFile } from '../core/migration.js';
import { planMigration } from '../planner/plan.js';
import { dialectNamed } from '../dialects/index.js';
import { stepTextOf } from '../formats/write/index.js';
import { analyze, plannerDialect, sessionTimeZone } from './analyze.js';
import { assumedMajor, configForDialect, dialectFor, snapshotMajor } from './input.js';

export interface PlanApiOptions {
  files: readonly MigrationFile[];
  snapshot?: SchemaSnapshot | null;
  config?: ResolvedConfig;
  options?: Partial<PlanOptions>;
  /** The migration's dialect; default: the snapshot's, else the registry's default (PostgreSQL). */
  dialect?: Dialect;
}

/** The version key a plan is made for: the snapshot's, the configured one, or the assumed one. */
export function targetMajor(
  snapshot: SchemaSnapshot | null | undefined,
  config: ResolvedConfig,
  dialect?: Dialect,
): number {
  const target = dialectFor(dialect, snapshot);
  if (snapshot) return snapshotMajor(target, snapshot);
  return config.targetVersion ?? assumedMajor(target);
}

export async function plan(options: PlanApiOptions): Promise<Plan> {
  const snapshot = options.snapshot ?? null;
  const target = dialectFor(options.dialect, snapshot);
  await target.language.load();
  const { config } = sessionTimeZone(
    configForDialect(options.config ?? DEFAULT_CONFIG, target, snapshot),
    snapshot,
    target,
  );
  return planMigration({
    files: options.files,
    snapshot,
    major: targetMajor(snapshot, config, target),
    config,
    options: options.options,
    dialect: plannerDialect(target, config.defaultSchema),
  });
}

/** Each step as the file a migration tool would run: its timeouts, in a transaction or not. */
export function planStepFiles(p: Plan): MigrationFile[] {
  const steps = stepTextOf(dialectNamed(p.dialect, 'the plan\'s "dialect"'));
  return p.steps.map((step) => ({
    path: `${step.id}`,
    sql: steps
      .text(step)
      .map((s) => `${s};`)
      .join('\n'),
    transaction: step.transactional ? 'transaction' : 'none',
    // One deploy runs the steps up to the contract phase: a table an earlier step creates is
    // still new. Contract steps run later, once every service has moved on, when what the
    // expand steps made (a view keeping an old name working) is in use.
    deployUnit: step.phase === 'contract' ? 'plan: contract' : 'plan',
  }));
}

/**
 * The engine's verdict on a plan's own steps, analysed in order against the schema the plan was
 * made for. A plan is only offered as safe when this has no error-severity finding.
 */
export async function checkPlan(
  p: Plan,
  snapshot: SchemaSnapshot | null,
  config: ResolvedConfig = DEFAULT_CONFIG,
  dialect?: Dialect,
): Promise<Finding[]> {
  const result = await analyze({
    files: planStepFiles(p),
    snapshot,
    config: { ...config, targetVersion: p.serverMajor },
    ...(dialect ? { dialect } : {}),
  });
  // A tool step's ALTER is carried out by the tool, which copies the table online: what the
  // ALTER would lock or rewrite if the server ran it does not happen.
  const byTool = new Set(p.steps.filter((s) => s.tool).map((s) => s.id));
  return result.statements
    .filter((s) => !byTool.has(s.file))
    .flatMap((s) => s.findings.map((f) => ({ ...f, message: `${s.file}: ${f.message}` })));
}
