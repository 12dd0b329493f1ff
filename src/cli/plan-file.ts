import { InputError } from '../core/errors.js';
import { parseJsonInput, readJsonFile } from '../core/json-input.js';
import type { Plan } from '../core/plan.js';
import { planSchema } from '../core/plan-schema.js';

/**
 * A plan saved by `plan --out`, checked against the plan schema before anything uses it: a bad
 * file is one input error naming the file and the JSON path (exit 2), and nothing is applied.
 */
export function readPlanFile(path: string): Plan {
  const parsed = readJsonFile(path);
  // Something else altogether (a snapshot, a config) gets a plainer message than its first key.
  if (parsed === null || typeof parsed !== 'object' || !('steps' in parsed))
    throw new InputError(`${path}: not a plan saved by "schemapilot plan --out"`);
  return parseJsonInput(planSchema, parsed, path);
}
