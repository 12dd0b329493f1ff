/**
 * Indexes without blocking writes: CREATE/DROP INDEX CONCURRENTLY, each alone outside a
 * transaction block. A failed concurrent build leaves an INVALID index behind: the step's
 * pre-check finds it, and its rollback drops it.
 * https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
 */
import type { RecipeContext, RecipeResult } from '../types.js';

export function createIndexRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, sql } = ctx;
  if (change.kind !== 'create index' || ctx.isNew(change.index.table) || change.index.only) return null;
  const { index } = change;
  // Unnamed: the name the server would give it, so the plan ends where the statement would.
  const name = index.name ?? ctx.unnamedIndexName(index.table, index.columnNames);
  const schema = index.table.slice(0, index.table.indexOf('.'));
  const qualified = `${q.ident(schema)}.${q.ident(name)}`;
  return {
    steps: [
      {
        phase: 'expand',
        description: `Build index ${name} CONCURRENTLY: SHARE UPDATE EXCLUSIVE, reads and writes go on; outside any transaction.`,
        sql: [sql.indexes.concurrentIndex(ctx.statementAst, name)],
        transactional: false,
        rollback: [sql.indexes.drop(qualified, { concurrently: true, ifExists: true })],
        preChecks: [sql.checks.noInvalidIndex(q, index.table, name)],
        postChecks: [sql.checks.indexIsValid(q, index.table, name)],
        long: true,
      },
    ],
  };
}

createIndexRecipe.dialects = ['postgres'];

export function dropIndexRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, sql } = ctx;
  if (change.kind !== 'drop index' || change.concurrently) return null;
  const steps = change.indexes.map((index) => {
    const dot = index.indexOf('.');
    const bare = index.slice(dot + 1);
    const owner = ctx.factContext.tableOfIndex(index);
    const definition = owner ? ctx.table(owner)?.indexes.find((i) => i.name === bare)?.definition : undefined;
    return {
      phase: 'contract' as const,
      description: `Drop index ${bare} CONCURRENTLY: waits for running queries instead of blocking them.`,
      sql: [
        sql.indexes.drop(`${q.ident(index.slice(0, dot))}.${q.ident(bare)}`, {
          concurrently: true,
          ifExists: change.ifExists,
        }),
      ],
      transactional: false,
      rollback: definition ? [sql.indexes.concurrentFromDefinition(definition)] : [],
      reversible: definition !== undefined,
      long: true,
    };
  });
  return {
    steps,
    warnings: steps.some((s) => !s.reversible)
      ? ['dropped index definition unknown (no schema): its rollback cannot recreate it']
      : [],
  };
}
dropIndexRecipe.dialects = ['postgres'];
