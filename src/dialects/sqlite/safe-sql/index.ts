/**
 * SQLite's safe-SQL building blocks (the SafeSql contract, src/core/dialect/safe-sql.ts): what
 * rules' safe alternatives and plan recipes write their SQL with, and the table rebuild that
 * stands in for every ALTER TABLE SQLite lacks (../rebuild).
 */
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import { SchemapilotError } from '../../../core/errors.js';
import { generatedNames } from '../../../schema/names.js';
import { SQLITE_CAPABILITIES } from '../capabilities.js';
import { SQLITE_REBUILD } from '../rebuild/index.js';
import { batches } from './batches.js';
import { checks } from './checks.js';
import { alterTable, constraints, indexes, notNullScript } from './statements.js';
import { sqliteTriggers } from './triggers.js';

/** SQLite has no identifier limit: generated names keep to the capabilities' readable bound. */
const names = generatedNames(SQLITE_CAPABILITIES.maxIdentifierBytes);

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
