/**
 * PostgreSQL's safe-SQL building blocks (the SafeSql contract, src/core/dialect/safe-sql.ts):
 * the one implementation rules' safe alternatives and plan recipes both write their SQL with.
 */
import type { Capabilities } from '../../../core/dialect/language.js';
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import { generatedNames } from '../../../schema/names.js';
import { batches } from './batches.js';
import { checks } from './checks.js';
import { notNullScript, notNullViaCheck } from './not-null.js';
import { alterTable, constraints, indexes } from './statements.js';
import { triggers } from './triggers.js';

const bySize = new Map<number, SafeSql>();

/** The building blocks for a server keeping `maxIdentifierBytes` of a name; one object per limit. */
export function postgresSafeSql(capabilities: Pick<Capabilities, 'maxIdentifierBytes'>): SafeSql {
  const known = bySize.get(capabilities.maxIdentifierBytes);
  if (known) return known;
  const names = generatedNames(capabilities.maxIdentifierBytes);
  const sql: SafeSql = {
    names,
    alterTable,
    constraints,
    notNullViaCheck: (q, table, column, major, options) =>
      notNullViaCheck(names, q, table, column, major, options),
    notNullScript: (q, table, column, major) => notNullScript(names, q, table, column, major),
    indexes,
    checks,
    batches,
    triggers,
  };
  bySize.set(capabilities.maxIdentifierBytes, sql);
  return sql;
}
