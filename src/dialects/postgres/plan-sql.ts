/**
 * SQL rewrites the planner needs from the PostgreSQL parser: the user's own statement, changed
 * in one place and printed back, so nothing they wrote (opclasses, INCLUDE, WITH, ordering) is
 * lost on the way.
 */
import type { AlterTableStmt, IndexStmt } from '@pgsql/types';
import type { PlannerDialect } from '../../planner/types.js';
import { as, deparse } from './ast.js';
import { postgresEngine } from './engine.js';

export function postgresPlannerDialect(defaultSchema: string): PlannerDialect {
  return {
    ...postgresEngine(defaultSchema),
    concurrentIndex(ast, name) {
      const stmt = structuredClone(as<IndexStmt>(ast, 'IndexStmt') ?? {});
      stmt.concurrent = true;
      stmt.if_not_exists = false;
      stmt.idxname = name;
      return deparse({ IndexStmt: stmt });
    },
    concurrentFromDefinition(definition) {
      return definition.replace(
        /^CREATE (UNIQUE )?INDEX /,
        (_m, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX CONCURRENTLY `,
      );
    },
    alterTableAction(ast, index) {
      const stmt = structuredClone(as<AlterTableStmt>(ast, 'AlterTableStmt') ?? {});
      stmt.cmds = (stmt.cmds ?? []).slice(index, index + 1);
      return deparse({ AlterTableStmt: stmt });
    },
  };
}
