/**
 * Plans written by hand for the deploy suites of the dialects that have no planner recipe for
 * what they test: one step per statement list, as written, no rollback. Each dialect's support
 * file fixes what differs (transactional, lock timeout, retry codes, its dialect and version).
 */
import type { Plan, PlanStep, RetryPolicy } from '../../src/core/plan.js';
import { DEFAULT_PLAN_OPTIONS } from '../../src/core/plan.js';

export interface HandPlanDialect {
  dialect: Plan['dialect'];
  /** The plan's serverMajor: the dialect's fact key. */
  serverMajor: number;
  transactional: boolean;
  lockTimeoutMs: number;
  retry: RetryPolicy;
}

export function handStep(
  d: HandPlanDialect,
  id: string,
  sql: string[],
  extra: Partial<PlanStep> = {},
): PlanStep {
  return {
    id,
    phase: 'expand',
    description: `${id}: ${sql.length} statement(s)`,
    asWritten: true,
    sql,
    transactional: d.transactional,
    lock: null,
    estimatedMs: 10,
    lockTimeoutMs: d.lockTimeoutMs,
    statementTimeoutMs: 30_000,
    retry: { ...d.retry, retryOn: [...d.retry.retryOn] },
    rollback: [],
    reversible: true,
    destroysData: false,
    preChecks: [],
    postChecks: [],
    source: 0,
    ...extra,
  };
}

/** A plan of `steps` made for the schema whose hash is `hash`. */
export function handPlan(d: HandPlanDialect, steps: PlanStep[], hash: string): Plan {
  return {
    formatVersion: 1,
    dialect: d.dialect,
    serverMajor: d.serverMajor,
    sourceSchemaHash: hash,
    options: DEFAULT_PLAN_OPTIONS,
    sources: [{ file: 'migration.sql', line: 1, sql: steps.flatMap((s) => s.sql).join(';\n') }],
    steps,
    rollbackComplexity: 1,
    recommendedApproach: steps.map((s) => s.description).join('\n'),
    warnings: [],
  };
}
