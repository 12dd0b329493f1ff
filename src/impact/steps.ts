/**
 * Which plan step brings a Change into effect, for the "may break" rules: a Change comes from
 * one source statement of the plan (`Plan.sources`, `PlanStep.source`), and among that
 * statement's steps the first whose SQL carries the constraint is where writes start to be
 * checked (a CHECK … NOT VALID in an expand step already rejects new rows).
 */
import type { Change } from '../core/change.js';
import type { Dialect } from '../core/dialect/index.js';
import type { Plan, PlanStep } from '../core/plan.js';

/** The step id, or `as written` when the plan has no step for the Change. */
export type StepLocator = (change: Change, carries?: RegExp) => { id: string; index: number };

export const AS_WRITTEN = 'as written';

export function stepLocator(dialect: Dialect, plan: Plan): StepLocator {
  const sources = sourceChanges(dialect, plan);
  return (change, carries) => {
    const exact = JSON.stringify(change);
    let source = sources.findIndex((changes) => changes.some((c) => JSON.stringify(c) === exact));
    if (source < 0)
      source = sources.findIndex((changes) => changes.some((c) => looseKey(c) === looseKey(change)));
    const steps = plan.steps.filter((s) => s.source === source);
    const step: PlanStep | undefined =
      (carries ? steps.find((s) => s.sql.some((sql) => carries.test(sql))) : undefined) ?? steps[0];
    if (!step) return { id: AS_WRITTEN, index: plan.steps.length };
    return { id: step.id, index: plan.steps.indexOf(step) };
  };
}

/** The Changes of each source statement, lowered as analyze lowers them. */
function sourceChanges(dialect: Dialect, plan: Plan): Change[][] {
  const engine = dialect.language.engine(dialect.language.defaultSchema);
  return plan.sources.map((source) => {
    try {
      return engine
        .parse(source.sql, source.file)
        .statements.flatMap((s) => engine.lower(s.ast, dialect.language.defaultSchema));
    } catch {
      return [];
    }
  });
}

/** Kind, unqualified table and column: matches a Change lowered with another default schema. */
function looseKey(change: Change): string {
  const table =
    'table' in change && typeof change.table === 'string' ? change.table.replace(/^.*\./, '') : '';
  const column =
    'column' in change ? (typeof change.column === 'string' ? change.column : change.column.name) : '';
  return `${change.kind}|${table}|${column}`;
}
