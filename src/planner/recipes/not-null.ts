/**
 * NOT NULL without a long ACCESS EXCLUSIVE scan: CHECK (col IS NOT NULL) NOT VALID (instant),
 * VALIDATE in its own transaction (SHARE UPDATE EXCLUSIVE: traffic continues), then SET NOT NULL,
 * which PostgreSQL 12+ proves from the validated CHECK without scanning, then drop the CHECK.
 * https://www.postgresql.org/docs/current/sql-altertable.html ("SET NOT NULL … the table scan is
 * skipped if a valid CHECK constraint exists that proves no NULL can exist")
 * Before 12 the scan cannot be skipped: the validated CHECK stays as the guarantee.
 * The statements come from the dialect (SafeSql.notNullViaCheck), as the rules' advice does.
 */
import type { RecipeContext, StepDraft } from '../types.js';

export function notNullSteps(
  ctx: Pick<RecipeContext, 'q' | 'sql' | 'major'>,
  table: string,
  column: string,
): StepDraft[] {
  const { q, sql, major } = ctx;
  const route = sql.notNullViaCheck(q, table, column, major);
  const addCheck: StepDraft = {
    phase: 'expand',
    description: `Add CHECK (${column} IS NOT NULL) NOT VALID: only new writes are checked, no scan.`,
    sql: [route.add],
    transactional: true,
    rollback: [sql.constraints.drop(q, table, route.check, { ifExists: true })],
  };
  const validate: StepDraft = {
    phase: 'validate',
    description: `Validate the CHECK: reads every row under SHARE UPDATE EXCLUSIVE, reads and writes go on.`,
    sql: [route.validate],
    transactional: true,
    rollback: [],
    preChecks: [sql.checks.noNulls(q, table, column)],
    long: true,
  };
  if (!route.finish) {
    return [
      addCheck,
      {
        ...validate,
        description: `${validate.description} On PostgreSQL ${major} the validated CHECK is the NOT NULL guarantee: SET NOT NULL would scan again under ACCESS EXCLUSIVE.`,
      },
    ];
  }
  return [
    addCheck,
    validate,
    {
      phase: 'validate',
      description: `SET NOT NULL, proved by the validated CHECK without a scan; then drop the CHECK.`,
      sql: [route.finish.setNotNull, route.finish.dropCheck],
      transactional: true,
      rollback: [sql.alterTable(q, table, `ALTER COLUMN ${q.ident(column)} DROP NOT NULL`)],
    },
  ];
}

/** SET NOT NULL on an existing column that would scan: the CHECK route. */
export function setNotNullRecipe(ctx: RecipeContext) {
  const { change } = ctx;
  if (change.kind !== 'set not null' || ctx.isNew(change.table) || !ctx.facts.scansTable) return null;
  return { steps: notNullSteps(ctx, change.table, change.column) };
}
setNotNullRecipe.dialects = ['postgres'];
