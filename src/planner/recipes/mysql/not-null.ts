/**
 * NULL → NOT NULL on MySQL/MariaDB (a MODIFY that makes a nullable column NOT NULL). There is no
 * NOT VALID CHECK to stage it: MODIFY … NOT NULL rebuilds the table in place and, with
 * ALGORITHM=INPLACE, LOCK=NONE, lets reads and writes go on while it does (measured on MariaDB
 * 10.11: the table is rebuilt, a concurrent writer is not blocked; test/planner/mysql). It fails,
 * changing nothing, while a NULL is left. So:
 *   backfill  the NULLs get the clause's DEFAULT, in batches (when it names one)
 *   validate  MODIFY as written, pinned in place; its pre-check waits for no NULL
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/#alter-table-modify-column
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html (Making a column NOT NULL: in place, rebuilds)
 */
import type { ColumnClause } from '../../../core/dialect/safe-sql.js';
import type { Column, Table } from '../../../core/snapshot.js';
import type { RecipeContext, RecipeResult, StepDraft } from '../../types.js';
import {
  backfillStep,
  clauseOnline,
  clauseRollback,
  defaultExpression,
  hasRows,
  notNullChecked,
  onlineSql,
} from './common.js';

export function notNullSteps(
  ctx: RecipeContext,
  table: string,
  t: Table,
  old: Column,
  _clause: ColumnClause,
): RecipeResult {
  const { q, sql } = ctx;
  const online = onlineSql(ctx);
  const column = old.name;
  const steps: StepDraft[] = [];
  const warnings: string[] = [];
  const setDefault = ctx.clause.changes.find((c) => c.kind === 'set default');
  if (setDefault?.kind === 'set default' && hasRows(t)) {
    steps.push(
      backfillStep(
        ctx,
        table,
        [{ column, expression: defaultExpression(setDefault.default) }],
        `${q.ident(column)} IS NULL`,
        `Give the rows where ${column} is NULL its default, ${setDefault.default.sql}, before NOT NULL is checked.`,
      ),
    );
  } else if (hasRows(t)) {
    warnings.push(
      `${table}.${column} becomes NOT NULL without a default to fill its NULLs: deploy code that always writes it and fill the existing NULLs before the validate step (its pre-check waits for no NULL)`,
    );
  }
  const pin = online.pinFor(clauseOnline(ctx.clause.facts), ctx.major);
  const rollback = clauseRollback(ctx, table);
  steps.push({
    phase: 'validate',
    description: `Make ${column} NOT NULL as written, ALGORITHM=${pin.algorithm}${pin.lock ? `, LOCK=${pin.lock}` : ''}: the table is rebuilt in place while reads and writes go on; it fails, changing nothing, if a NULL is left.`,
    sql: [notNullChecked(online.pinned(ctx.statementAst, ctx.clause.action, pin))],
    transactional: false,
    rollback: rollback.sql,
    reversible: rollback.reversible,
    preChecks: [sql.checks.noNulls(q, table, column)],
    long: true,
  });
  return { steps, warnings };
}
