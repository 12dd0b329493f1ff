/**
 * plan(): migration files + schema → Plan, wiring the PostgreSQL dialect into the pure planner.
 */
import type { Plan, PlanOptions } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { ASSUMED_MAJOR, DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import { loadPostgresParser } from '../dialects/postgres/parser.js';
import { postgresPlannerDialect } from '../dialects/postgres/plan-sql.js';
import type { MigrationFile } from '../linter/run.js';
import { planMigration } from '../planner/plan.js';

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
  const config = options.config ?? DEFAULT_CONFIG;
  const snapshot = options.snapshot ?? null;
  return planMigration({
    files: options.files,
    snapshot,
    major: targetMajor(snapshot, config),
    config,
    options: options.options,
    dialect: postgresPlannerDialect(config.defaultSchema),
  });
}
