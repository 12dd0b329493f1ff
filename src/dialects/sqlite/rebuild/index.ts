/**
 * SQLite's table rebuild (https://www.sqlite.org/lang_altertable.html#otheralter) as the safe-SQL
 * section recipes reach through `ctx.sql.rebuild`: which Changes need it, and the rebuild itself.
 */
import type { TableRebuildSql } from '../../../core/dialect/safe-sql.js';
import { needsRebuild } from './in-place.js';
import { planRebuild } from './plan.js';

export const SQLITE_REBUILD: TableRebuildSql = {
  needsRebuild,
  plan: planRebuild,
};

export { parseDefinition } from './definition.js';
export { planRebuild } from './plan.js';
export { needsRebuild, sqliteKey } from './in-place.js';
