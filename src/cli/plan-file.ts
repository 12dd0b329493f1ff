import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';

/** A plan saved by `plan --out`, checked for its shape; a bad file is a one-line input error. */
export function readPlanFile(path: string): Plan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : `not JSON (${(error as Error).message})`}`,
    );
  }
  const p = parsed as Partial<Plan> | null;
  if (
    p === null ||
    typeof p !== 'object' ||
    p.formatVersion !== 1 ||
    !Array.isArray(p.steps) ||
    !Array.isArray(p.sources)
  )
    throw new InputError(`${path}: not a plan saved by "schemapilot plan --out"`);
  return parsed as Plan;
}
