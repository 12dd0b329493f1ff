/**
 * A run of statements the dialect keeps together (PlanningEngine.runs: SQLite's hand-written
 * table rebuild, the user's own BEGIN … COMMIT) as one step, as written, outside the runner's
 * transaction: the dialect's check gives its words, warnings and, when it knows it, its
 * rollback; otherwise each statement's rollback, last first, as for statements kept as written.
 */
import type { ParsedStatement } from '../core/analysis.js';
import type { ChangeKind } from '../core/change.js';
import { actionUnits, planAction, type ActionContext, type ChangeResult } from './actions.js';
import type { StepDraft } from './types.js';

const DESTROYS = new Set<ChangeKind>(['drop table', 'drop column', 'truncate']);

export function planRun(
  statements: readonly ParsedStatement[],
  ctx: Omit<ActionContext, 'statement' | 'sql'>,
): { draft: StepDraft; warnings: string[] } {
  const { state, input } = ctx;
  const { dialect, config } = input;
  const runs = dialect.runs;
  if (!runs) throw new Error('planRun needs the dialect to find runs');
  // Checked against the schema before the run; then its statements move the schema on.
  const check = runs.check(statements, {
    table: (name) => state.table(name),
    tables: [...state.allTables()],
    views: input.snapshot?.views ?? [],
  });
  const results: ChangeResult[] = [];
  for (const statement of statements) {
    const changes = dialect.lower(statement.ast, config.defaultSchema);
    // No recipe runs inside a run (`sql` undefined): what the user wrote together stays together.
    for (const unit of actionUnits(statement.ast, changes, dialect))
      results.push(...planAction(unit, { ...ctx, statement, sql: undefined }));
  }
  const rollback = check.rollback ?? [...results].reverse().flatMap((r) => r.inverse.sql);
  return {
    draft: {
      phase: check.phase,
      description: check.description,
      sql: statements.map((s) => s.sql),
      transactional: false,
      rollback,
      reversible: check.rollback ? check.reversible : results.every((r) => r.inverse.reversible),
      destroysData:
        check.destroysData || (check.rollback === null && results.some((r) => DESTROYS.has(r.change.kind))),
      asWritten: true,
      ...(check.copiesTable ? { copiesTable: check.copiesTable, long: true } : {}),
    },
    warnings: check.warnings,
  };
}
