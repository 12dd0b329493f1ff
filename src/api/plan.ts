/**
 * plan(): migration files + schema → Plan, wiring the PostgreSQL dialect into the pure planner.
 */
import type { Finding } from '../core/analysis.js';
import type { Plan, PlanOptions } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { ASSUMED_MAJOR, DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import { loadPostgresParser } from '../dialects/postgres/parser.js';
import { postgresPlannerDialect } from '../dialects/postgres/plan-sql.js';
import type { MigrationFile } from '../core/migration.js';
import { planMigration } from '../planner/plan.js';
import { nonTransactionalBody, transactionalBody } from '../formats/write/common.js';
import { analyze, sessionTimeZone } from './analyze.js';

export interface PlanApiOptions {
  files: readonly MigrationFile[];
  snapshot?: SchemaSnapshot | null;
  config?: ResolvedConfig;
  options?: Partial<PlanOptions>;
}

export function targetMajor(snapshot: SchemaSnapshot | null | undefined, config: ResolvedConfig): number {
  if (snapshot) return Math.floor(snapshot.serverVersionNum / 10000);
  return config.targetVersion ?? ASSUMED_MAJOR;
}

export async function plan(options: PlanApiOptions): Promise<Plan> {
  await loadPostgresParser();
  const snapshot = options.snapshot ?? null;
  const { config } = sessionTimeZone(options.config ?? DEFAULT_CONFIG, snapshot);
  return planMigration({
    files: options.files,
    snapshot,
    major: targetMajor(snapshot, config),
    config,
    options: options.options,
    dialect: postgresPlannerDialect(config.defaultSchema),
  });
}

/** Each step as the file a migration tool would run: its timeouts, in a transaction or not. */
export function planStepFiles(p: Plan): MigrationFile[] {
  return p.steps.map((step) => ({
    path: `${step.id}`,
    sql: (step.transactional ? transactionalBody(step) : nonTransactionalBody(step))
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
): Promise<Finding[]> {
  const result = await analyze({
    files: planStepFiles(p),
    snapshot,
    config: { ...config, targetVersion: p.serverMajor },
  });
  return result.statements.flatMap((s) =>
    s.findings.map((f) => ({ ...f, message: `${s.file}: ${f.message}` })),
  );
}
