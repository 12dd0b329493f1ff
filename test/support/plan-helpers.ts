/** Helpers for planner tests: plan SQL against the in-memory schema or a real snapshot. */
import { checkPlan, plan } from '../../src/api/plan.js';
import type { Finding } from '../../src/core/analysis.js';
import type { Plan, PlanOptions } from '../../src/core/plan.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../../src/config/types.js';
import { inlineMigration } from '../../src/formats/read.js';
import { testSchema } from './schema-fixture.js';

export async function planSql(
  sql: string,
  options: { major?: number; snapshot?: SchemaSnapshot | null; plan?: Partial<PlanOptions> } = {},
): Promise<Plan> {
  const major = options.major ?? 15;
  const snapshot = options.snapshot === undefined ? testSchema(major) : options.snapshot;
  const config: ResolvedConfig = { ...DEFAULT_CONFIG, rules: {}, targetVersion: major };
  return plan({ files: [inlineMigration('m.sql', sql, 'plain')], snapshot, config, options: options.plan });
}

/** The engine's findings on the plan's own steps, analysed in order against the same schema. */
export async function selfCheck(p: Plan, snapshot: SchemaSnapshot | null): Promise<Finding[]> {
  return checkPlan(p, snapshot);
}
