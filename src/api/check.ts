/**
 * check(): the brief's dry-run pipeline. Analyze the migration, plan it, check the plan with
 * the engine, prove it on a scratch database, and sum it up as the brief's checklist
 * (`✓ Schema analyzed: 0 breaking changes` …). Nothing is written to the target database.
 */
import type { Finding } from '../core/analysis.js';
import type { Plan } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import type { Volatility } from '../core/facts.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import type { MigrationFile } from '../core/migration.js';
import type { Dialect } from '../core/dialect/index.js';
import type { ScratchServer } from '../core/dialect/scratch.js';
import type { SchemaSource } from '../core/dialect/validation.js';
import { DEFAULT_DIALECT, dialectNamed } from '../dialects/index.js';
import type { ChecklistItem, ValidationResult } from '../validate/types.js';
import { analyze, type AnalyzeOutput } from './analyze.js';
import { checkPlan } from './plan.js';
import { validatePlan, type DataOption } from './validate.js';
import type { ImpactResult, ServiceSource } from '../core/impact.js';
import { impactApproach, impactChecklistItem } from '../reporters/impact/summary.js';
import { impactOnScratch } from './impact.js';

export type { ChecklistItem } from '../validate/types.js';

export interface CheckResult {
  analysis: AnalyzeOutput;
  plan: Plan;
  /** Error-severity findings of the engine on the plan's own steps. */
  planProblems: Finding[];
  validation: ValidationResult;
  checklist: ChecklistItem[];
  safeToDeploy: boolean;
  /** The services' queries checked against the plan (when services were given). */
  impact?: ImpactResult;
}

export interface CheckOptions {
  files: readonly MigrationFile[];
  snapshot: SchemaSnapshot;
  /** Default: the dialect the plan is made for. */
  dialect?: Dialect;
  schema: SchemaSource;
  /** Opened through the dialect's scratch provider (src/validate/scratch.ts's `withScratch`). */
  scratch: ScratchServer;
  data?: DataOption;
  config?: ResolvedConfig;
  volatility?: (fn: string) => Volatility | undefined;
  onProgress?: (message: string) => void;
  /** Services whose queries must keep working (`--service`, the config's `services`); none: no impact check. */
  services?: readonly ServiceSource[];
}

/**
 * `check --format json`'s object: the result without the analysis' internals (its run and the
 * plan it carries, which is the top-level `plan`). `fleet check` embeds the same object per service.
 */
export function checkReportJson(result: CheckResult): Omit<CheckResult, 'analysis'> & {
  analysis: Omit<AnalyzeOutput, 'run' | 'plan'>;
} {
  const { run: _run, plan: _plan, ...analysis } = result.analysis;
  return { ...result, analysis };
}

export async function check(options: CheckOptions): Promise<CheckResult> {
  const config = options.config ?? DEFAULT_CONFIG;
  const analysis = await analyze({
    files: options.files,
    snapshot: options.snapshot,
    config,
    volatility: options.volatility,
  });
  const plan = analysis.plan;
  const planProblems = (await checkPlan(plan, options.snapshot, config)).filter(
    (f) => f.severity === 'error',
  );
  const dialect = options.dialect ?? dialectNamed(plan.dialect, 'plan dialect');
  const validation = await validatePlan({
    dialect,
    plan,
    original: options.files,
    schema: options.schema,
    scratch: options.scratch,
    data: options.data,
    config,
    onProgress: options.onProgress,
  });
  const services = options.services ?? [];
  const impact =
    services.length > 0
      ? await impactOnScratch({
          dialect,
          schema: options.schema,
          plan,
          files: options.files,
          config,
          services,
          scratch: options.scratch,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        })
      : undefined;
  if (impact) applyImpact(analysis, impact);
  const checklist = buildChecklist(analysis, plan, planProblems, validation, dialect.title, impact);
  return {
    analysis,
    plan,
    planProblems,
    validation,
    checklist,
    safeToDeploy: checklist.every((c) => c.ok),
    ...(impact ? { impact } : {}),
  };
}

/**
 * A service that breaks makes the migration unsafe to deploy as planned: the assessment says so,
 * and its approach says which services must ship before which step.
 */
export function applyImpact(analysis: AnalyzeOutput, impact: ImpactResult): void {
  if (impact.affected_services.length === 0) return;
  analysis.assessment.safe_to_deploy = false;
  analysis.assessment.recommended_approach = [
    analysis.assessment.recommended_approach,
    ...impactApproach(impact, analysis.plan),
  ].join('\n');
}

export function buildChecklist(
  analysis: AnalyzeOutput,
  plan: Plan,
  planProblems: readonly Finding[],
  validation: ValidationResult,
  /** The scratch server's product, as the checklist names it. */
  title: string = DEFAULT_DIALECT.title,
  impact?: ImpactResult,
): ChecklistItem[] {
  const breaking = analysis.assessment.breaking_changes;
  const lines = plan.steps.reduce((n, s) => n + s.sql.reduce((m, sql) => m + sql.split('\n').length, 0), 0);
  const stepWord = plan.steps.length === 1 ? 'step' : 'steps';
  const errors = validation.findings.filter((f) => f.severity === 'error');
  const where = `${validation.scratch.server ?? `${title} ${validation.scratch.major}`} scratch database`;
  const items: ChecklistItem[] = [
    {
      ok: breaking.length === 0,
      label: `Schema analyzed: ${breaking.length} breaking change${breaking.length === 1 ? '' : 's'}`,
      reasons: breaking,
    },
    {
      ok: planProblems.length === 0,
      label: `Migration generated: ${lines} line${lines === 1 ? '' : 's'} SQL in ${plan.steps.length} ${stepWord}`,
      reasons: planProblems.map((f) => `still unsafe: ${f.message}`),
    },
    {
      ok: validation.passed,
      label: validation.passed
        ? `Validation passed on test database (${where}, ${(validation.durationMs / 1000).toFixed(1)} s)`
        : `Validation failed on test database (${where})`,
      reasons: errors.map((f) => f.message),
    },
  ];
  if (impact) items.push(impactChecklistItem(impact));
  const blockers = items.filter((i) => !i.ok).map((i) => i.label.replace(/:.*$/, '').toLowerCase());
  // The plan is what was proven; where it rewrote statements, the file as written was not.
  const rewritten = plan.steps.some((s) => !s.asWritten);
  items.push({
    ok: blockers.length === 0,
    label:
      blockers.length === 0
        ? `Safe to deploy to production${rewritten ? ' (deploy the plan, not the migration as written)' : ''}`
        : 'Not safe to deploy to production',
    reasons: blockers.map((b) => `see "${b}" above`),
  });
  return items;
}
