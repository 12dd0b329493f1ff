/**
 * Whether the analysis will drop every finding a rule could make on this Change, because the
 * Change's table was created in this deploy unit (RuleMeta.skipNewTables). A rule whose safe
 * alternative is costly to build asks first: in a migration that creates its tables, most of
 * them are new, and the findings were built only to be dropped (9 in 10 in the 10k bench).
 *
 * Only for a rule whose findings carry no `table` of their own (the analysis then judges them by
 * the Change's table) and that keeps none on a new table: not aboutExistingRows (a filled new
 * table keeps those) nor oncePerFile (a dropped finding still counts as the file's one).
 */
import { changeTable } from '../core/change.js';
import type { RuleContext, RuleMeta } from '../core/rule.js';

export function droppedOnNewTable(meta: RuleMeta, ctx: RuleContext): boolean {
  if (!meta.skipNewTables || meta.aboutExistingRows === true || meta.oncePerFile === true) return false;
  const table = changeTable(ctx.change);
  return table !== null && ctx.isNew(table);
}
