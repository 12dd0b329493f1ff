/** Helpers for planner tests: plan SQL against the in-memory schema or a real snapshot. */
import { analyze } from '../../src/api/analyze.js';
import { plan } from '../../src/api/plan.js';
import type { Finding } from '../../src/core/analysis.js';
import type { Plan, PlanOptions } from '../../src/core/plan.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../../src/config/types.js';
import { inlineMigration } from '../../src/formats/read.js';
import { nonTransactionalBody, transactionalBody } from '../../src/formats/write/common.js';
import type { MigrationFile } from '../../src/linter/run.js';
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

/** Each step as the file a migration tool would run: its timeouts, in a transaction or not. */
export function stepFiles(p: Plan): MigrationFile[] {
  return p.steps.map((step) => ({
    path: `${step.id}.sql`,
    sql: (step.transactional ? transactionalBody(step) : nonTransactionalBody(step))
      .map((s) => `${s};`)
      .join('\n'),
    transaction: step.transactional ? 'transaction' : 'none',
  }));
}

/** The engine's findings on the plan's own steps, analysed in order against the same schema. */
export async function selfCheck(p: Plan, snapshot: SchemaSnapshot | null): Promise<Finding[]> {
  const config: ResolvedConfig = { ...DEFAULT_CONFIG, rules: {}, targetVersion: p.serverMajor };
  const result = await analyze({ files: stepFiles(p), snapshot, config });
  return result.statements.flatMap((s) => s.findings);
}
