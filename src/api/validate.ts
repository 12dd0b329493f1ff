/**
 * validatePlan() for library users and commands: src/validate's validatePlan with the dialect
 * looked up (the plan names it) and the engine's own prediction (the analysis of the plan's step
 * files) filled in, so that callers need not wire either.
 */
import type { Dialect } from '../core/dialect/index.js';
import type { Plan } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import { dialectNamed } from '../dialects/index.js';
import type { Prediction } from '../validate/compare.js';
import type { ValidationResult } from '../validate/types.js';
import { validatePlan as validateWith, type ValidatePlanOptions } from '../validate/validate.js';
import { analyze } from './analyze.js';
import { planStepFiles } from './plan.js';

export type { DataOption } from '../validate/validate.js';

export interface ValidateOptions extends Omit<ValidatePlanOptions, 'dialect' | 'predict'> {
  /** Default: the dialect the plan was made for. */
  dialect?: Dialect;
  config?: ResolvedConfig;
  /**
   * The engine's prediction for each statement of each step (by step id). Defaults to
   * analysing the plan's steps; a test passes a deliberately wrong one to see mismatches.
   */
  predict?: ValidatePlanOptions['predict'];
}

export function validatePlan(options: ValidateOptions): Promise<ValidationResult> {
  const { config, ...rest } = options;
  return validateWith({
    ...rest,
    dialect: options.dialect ?? dialectNamed(options.plan.dialect, 'plan dialect'),
    predict: options.predict ?? predictFromEngine(config),
  });
}

/** The engine's analysis of the plan's own step files, grouped by step. */
export function predictFromEngine(config: ResolvedConfig = DEFAULT_CONFIG) {
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
