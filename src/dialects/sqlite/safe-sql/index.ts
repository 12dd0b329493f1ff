/**
 * SQLite's safe-SQL building blocks (the SafeSql contract, src/core/dialect/safe-sql.ts): what
 * rules' safe alternatives and plan recipes write their SQL with, and the table rebuild that
 * stands in for every ALTER TABLE SQLite lacks (../rebuild).
 */
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import { SchemapilotError } from '../../../core/errors.js';
import { generatedNames } from '../../../schema/names.js';
import { SQLITE_REBUILD } from '../rebuild/index.js';
import { batches } from './batches.js';
import { checks } from './checks.js';
import { alterTable, constraints, indexes, notNullScript } from './statements.js';
import { sqliteTriggers } from './triggers.js';

/**
 * SQLite keeps names of any length (https://www.sqlite.org/limits.html names no identifier
 * limit); generated names are still kept to 64 bytes, so they read well in every tool.
 */
const names = generatedNames(64);

export const SQLITE_SAFE_SQL: SafeSql = {
  names,
  alterTable,
  constraints,
  notNullViaCheck: () => {
    throw new SchemapilotError(
      "SQLite's ALTER TABLE cannot add a CHECK: NOT NULL is made by rebuilding the table (safeSql.rebuild)",
    );
  },
  notNullScript: (q, table, column) => notNullScript(q, table, column),
  indexes,
  checks,
  batches,
  triggers: sqliteTriggers(names),
  rebuild: SQLITE_REBUILD,
};
