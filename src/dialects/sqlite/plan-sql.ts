/**
 * The planner's binding of SQLite: the language engine for one default schema, the safe-SQL
 * building blocks with the table rebuild, rollbacks in SQLite's spelling, and the result codes a
 * step retries on. An ALTER TABLE is planned whole: SQLite's own has one action, and the
 * PostgreSQL-style intent schemapilot accepts for what SQLite has no syntax for (several
 * ALTER COLUMN … actions) is made by one rebuild of the table.
 */
import type { Engine, PlanningEngine } from '../../core/dialect/language.js';
import { SchemapilotError } from '../../core/errors.js';
import { checkRun } from './plan/check.js';
import { sqliteInverse } from './plan/inverse.js';
import { findRuns } from './plan/runs.js';
import { SQLITE_SAFE_SQL } from './safe-sql/index.js';

/**
 * SQLITE_BUSY: another connection holds the lock the step needs, past the step's busy_timeout;
 * SQLITE_BUSY_SNAPSHOT: in WAL mode, a read transaction that another writer overtook cannot
 * become a write one. Both leave nothing done (https://www.sqlite.org/rescode.html#busy).
 */
export const SQLITE_RETRY_ON = ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT'] as const;

export function sqlitePlannerDialect(engine: Engine, defaultSchema: string): PlanningEngine {
  return {
    ...engine,
    dialect: 'sqlite',
    safeSql: SQLITE_SAFE_SQL,
    retryOn: SQLITE_RETRY_ON,
    // Every Change of a statement is one action: the rebuild makes them together.
    actionOf: () => 0,
    alterTableAction: () => {
      throw new SchemapilotError('SQLite plans an ALTER TABLE statement whole, never one action of it');
    },
    inverse: (change) => sqliteInverse(engine.quote, change),
    // A rebuild written by hand, or the user's own BEGIN … COMMIT, is one step as written.
    runs: {
      find: findRuns,
      check: (statements, schema) =>
        checkRun(engine.quote, statements, (ast) => engine.lower(ast, defaultSchema), schema),
    },
  };
}
