/**
 * The planner's binding of MySQL/MariaDB: the engine for one default schema (the connection's
 * database), the safe-SQL building blocks recipes write their steps with, the statement rewrites
 * (an ALTER TABLE cut into its clauses as the user wrote them), the errors a step retries on,
 * and rollbacks in MySQL's spelling.
 */
import type { PlanningEngine } from '../../core/dialect/language.js';
import { MYSQL_RETRY_ON } from './deploy/errors.js';
import { mysqlEngine } from './engine.js';
import { mysqlInverse } from './plan/inverse.js';
import { actionOf, alterTableAction } from './plan/statement.js';
import { MYSQL_SAFE_SQL } from './safe-sql/index.js';

export function mysqlPlannerDialect(defaultSchema: string): PlanningEngine {
  const engine = mysqlEngine(defaultSchema);
  return {
    ...engine,
    dialect: 'mysql',
    safeSql: MYSQL_SAFE_SQL,
    // Lock wait timeout (1205) and deadlock (1213), as deploy's error codes spell them: both
    // leave the statement undone and may pass a moment later (deploy/errors.ts).
    retryOn: MYSQL_RETRY_ON,
    // lock_wait_timeout takes whole seconds (MariaDB refuses 1.5 with ER_WRONG_TYPE_FOR_VAR).
    lockTimeoutUnitMs: 1000,
    alterTableAction,
    actionOf,
    inverse: (change, table) => mysqlInverse(engine.quote, change, table),
  };
}
