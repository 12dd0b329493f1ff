/**
 * NOT NULL without a long ACCESS EXCLUSIVE scan: CHECK (col IS NOT NULL) NOT VALID (instant),
 * VALIDATE in its own transaction (SHARE UPDATE EXCLUSIVE: traffic continues), then SET NOT NULL,
 * which PostgreSQL 12+ proves from the validated CHECK without scanning, then drop the CHECK.
 * https://www.postgresql.org/docs/current/sql-altertable.html ("SET NOT NULL … the table scan is
 * skipped if a valid CHECK constraint exists that proves no NULL can exist")
 * Before 12 the scan cannot be skipped: the validated CHECK stays as the guarantee.
 */
import type { Quoter } from '../../core/rule.js';
import { helperName } from '../../schema/names.js';
import { alter, noNulls } from '../sql.js';
import type { RecipeContext, StepDraft } from '../types.js';

export function notNullSteps(q: Quoter, table: string, column: string, major: number): StepDraft[] {
  const check = helperName(table, column, 'not_null');
  const addCheck: StepDraft = {
    phase: 'expand',
    description: `Add CHECK (${column} IS NOT NULL) NOT VALID: only new writes are checked, no scan.`,
    sql: [
      alter(q, table, `ADD CONSTRAINT ${q.ident(check)} CHECK (${q.ident(column)} IS NOT NULL) NOT VALID`),
    ],
    transactional: true,
    rollback: [alter(q, table, `DROP CONSTRAINT IF EXISTS ${q.ident(check)}`)],
  };
  const validate: StepDraft = {
    phase: 'validate',
    description: `Validate the CHECK: reads every row under SHARE UPDATE EXCLUSIVE, reads and writes go on.`,
    sql: [alter(q, table, `VALIDATE CONSTRAINT ${q.ident(check)}`)],
    transactional: true,
    rollback: [],
    preChecks: [noNulls(q, table, column)],
    long: true,
  };
  if (major < 12) {
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
      sql: [
        alter(q, table, `ALTER COLUMN ${q.ident(column)} SET NOT NULL`),
        alter(q, table, `DROP CONSTRAINT ${q.ident(check)}`),
      ],
      transactional: true,
      rollback: [alter(q, table, `ALTER COLUMN ${q.ident(column)} DROP NOT NULL`)],
    },
  ];
}

/** SET NOT NULL on an existing column that would scan: the CHECK route. */
export function setNotNullRecipe(ctx: RecipeContext) {
  const { change } = ctx;
  if (change.kind !== 'set not null' || ctx.isNew(change.table) || !ctx.facts.scansTable) return null;
  return { steps: notNullSteps(ctx.q, change.table, change.column, ctx.major) };
}
