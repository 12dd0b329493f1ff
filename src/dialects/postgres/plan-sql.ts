/**
 * The planner's binding of PostgreSQL: the engine for one default schema, the safe-SQL
 * building blocks recipes write their steps with, and the one rewrite the planner itself
 * needs from the parser (a multi-action ALTER TABLE split into its actions).
 */
import type { AlterTableStmt } from '@pgsql/types';
import type { PlanningEngine } from '../../core/dialect/language.js';
import { as, deparse } from './ast.js';
import { postgresEngine } from './engine.js';
import { POSTGRES_SAFE_SQL } from './capabilities.js';

/**
 * The namer rules' safe alternatives and recipes both name their helpers with on PostgreSQL
 * (`ctx.sql.names.helper`): one function per identifier limit (test/planner/names.test.ts).
 */
export const postgresHelperName = POSTGRES_SAFE_SQL.names.helper;

export function postgresPlannerDialect(defaultSchema: string): PlanningEngine {
  return {
    ...postgresEngine(defaultSchema),
    safeSql: POSTGRES_SAFE_SQL,
    // lock_not_available (lock_timeout fired) and deadlock_detected: both leave nothing done and
    // may well succeed a moment later (https://www.postgresql.org/docs/current/errcodes-appendix.html).
    retryOn: ['55P03', '40P01'],
    alterTableAction(ast, index) {
      // Shallow: the statement keeps its other fields and shares the one clause it prints; the
      // deparser does not write its input.
      const whole = as<AlterTableStmt>(ast, 'AlterTableStmt');
      const stmt: AlterTableStmt = { ...whole, cmds: (whole?.cmds ?? []).slice(index, index + 1) };
      return deparse({ AlterTableStmt: stmt });
    },
  };
}
