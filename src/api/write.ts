/**
 * Plan writers for library users: each writes a plan for the dialect it was made for
 * (`plan.dialect`), printing every step as that dialect's step runner runs it.
 */
import { dialectNamed } from '../dialects/index.js';
import { bindWriter, PLAN_WRITERS as FORMAT_WRITERS, type BoundPlanWriter } from '../formats/write/index.js';

export type { BoundPlanWriter as PlanWriter, WrittenFile, WriteOptions } from '../formats/write/index.js';

export const PLAN_WRITERS: readonly BoundPlanWriter[] = FORMAT_WRITERS.map((writer) =>
  bindWriter(writer, (plan) => dialectNamed(plan.dialect, 'the plan\'s "dialect"')),
);

export function planWriter(format: string): BoundPlanWriter | undefined {
  return PLAN_WRITERS.find((w) => w.format === format);
}
