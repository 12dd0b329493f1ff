/**
 * Plan writers for library users: each writes a plan for the dialect it was made for
 * (`plan.dialect`), printing every step as that dialect's step runner runs it.
 */
import { dialectNamed } from '../dialects/index.js';
import { bindWriter, FORMAT_WRITERS, type PlanWriter } from '../formats/write/index.js';

export type { PlanWriter, WrittenFile, WriteOptions } from '../formats/write/index.js';

export const PLAN_WRITERS: readonly PlanWriter[] = FORMAT_WRITERS.map((writer) =>
  bindWriter(writer, (plan) => dialectNamed(plan.dialect, 'the plan\'s "dialect"')),
);

export function planWriter(format: string): PlanWriter | undefined {
  return PLAN_WRITERS.find((w) => w.format === format);
}
