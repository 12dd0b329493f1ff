/**
 * What PostgreSQL can do, and the safe SQL built for it. Kept apart from index.ts so that the
 * planner binding (plan-sql.ts) can use them without importing the dialect object that
 * imports it.
 */
import type { Capabilities } from '../../core/dialect/index.js';
import { postgresSafeSql } from './safe-sql/index.js';

export const POSTGRES_CAPABILITIES: Capabilities = {
  transactionalDdl: true,
  concurrentIndexBuilds: true,
  notValidConstraints: true,
  lockTimeout: true,
  // NAMEDATALEN - 1 (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS)
  maxIdentifierBytes: 63,
};

/** Generated names keep to maxIdentifierBytes. */
export const POSTGRES_SAFE_SQL = postgresSafeSql(POSTGRES_CAPABILITIES);
