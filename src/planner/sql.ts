/**
 * What plan steps share that no dialect changes: the backfill's description and the ignore
 * directive of a deliberate step. The SQL itself comes from the dialect's safe-SQL building
 * blocks (RecipeContext.sql: src/core/dialect/safe-sql.ts).
 */
import type { BackfillSpec } from '../core/plan.js';
import type { Quoter } from '../core/rule.js';

/**
 * `ALTER TABLE <table> <action>` for deriving rollbacks (src/planner/inverse.ts) when the
 * dialect provides no safe SQL; otherwise its `alterTable` is used.
 */
export function standardAlterTable(q: Quoter, table: string, action: string): string {
  return `ALTER TABLE ${q.table(table)} ${action}`;
}

export function backfillSpec(
  table: string,
  keyColumns: string[],
  set: { column: string; expression: string }[],
  remaining: string,
  options: { batchSize: number; pauseMs: number },
): BackfillSpec {
  return { table, keyColumns, set, remaining, batchSize: options.batchSize, pauseMs: options.pauseMs };
}

/**
 * Prefix a statement with an ignore directive: plan steps that are breaking on purpose (the
 * contract phase, the swap of an expand/contract) say so, with the reason, so the engine's
 * self-check of the plan stays clean and a reviewer reads why.
 */
export function deliberate(rule: string, reason: string, sql: string): string {
  // The reason may quote a name, and a name may hold a line break that would end the comment.
  return `-- schemapilot-ignore ${rule}: ${reason.replace(/[\r\n]+/g, ' ')}\n${sql}`;
}
