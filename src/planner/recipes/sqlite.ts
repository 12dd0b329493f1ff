/**
 * The SQLite recipe, for every Change an ALTER TABLE lowers to (SQLite's own, or the
 * PostgreSQL-style intent schemapilot accepts for what SQLite has no syntax for). A statement
 * whose Changes ALTER TABLE can make itself (rename, most ADD and DROP COLUMN) is kept as written; any other (a type, NOT NULL, a default, a constraint, an ADD or
 * DROP COLUMN that SQLite refuses) rebuilds the table by the documented 12 steps
 * (https://www.sqlite.org/lang_altertable.html#otheralter), with every Change of the statement
 * made by one rebuild. The rebuild itself is the dialect's (`ctx.sql.rebuild`,
 * src/dialects/sqlite/rebuild); this recipe decides when, and lays it out as one step.
 * docs/decisions/0035-sqlite-plans.md
 */
import { changeTable, type ChangeKind } from '../../core/change.js';
import { SchemapilotError } from '../../core/errors.js';
import type { Recipe, RecipeContext, RecipeResult } from '../types.js';

/**
 * The rebuild's statements as the step runs them: `before`, BEGIN IMMEDIATE (the write lock taken
 * at once, waiting the step's busy_timeout, instead of at the first write, where a reader turning
 * writer can fail at once with SQLITE_BUSY: https://www.sqlite.org/lang_transaction.html), the
 * transaction, COMMIT, `after`.
 */
function ownTransaction(around: { before: string[]; after: string[] }, sql: readonly string[]): string[] {
  return [...around.before, 'BEGIN IMMEDIATE', ...sql, 'COMMIT', ...around.after];
}

export function sqliteRebuildRecipe(ctx: RecipeContext): RecipeResult | null {
  const rebuild = ctx.sql.rebuild;
  const { change } = ctx;
  // The statement's Changes are one action (plan-sql.ts): its first Change plans them all.
  if (!rebuild || change !== ctx.clause.changes[0]) return null;
  const target = changeTable(change);
  if (target === null) return null;
  const table = ctx.table(target);
  const schema = ctx.schema();
  const changes = ctx.clause.changes.filter((c) => changeTable(c) === target);
  // The dialect's facts say first when SQLite refuses a statement (`fails: …`); the rebuild's
  // own answer covers what SQLite has no syntax for (a type, a default: schemapilot's intent).
  const refused = ctx.clause.facts.flatMap((f) =>
    f.notes[0]?.startsWith('fails: ') ? [f.notes[0].slice(7)] : [],
  );
  const reasons = [
    ...refused,
    ...changes.flatMap((c) => rebuild.needsRebuild(c, table, schema, ctx.major) ?? []),
  ];
  if (reasons.length === 0) return null;
  const keep = (why: string): RecipeResult => ({
    steps: [],
    warnings: [`${target}: ${reasons[0] ?? ''}, and ${why}; the statement is kept as written`],
  });
  if (!table)
    return keep('the table is not in the schema snapshot (plan with --schema or --db to rebuild it)');
  if (ctx.isNew(target))
    return keep('the table is created by this migration: write its final shape in its CREATE TABLE');
  let planned;
  try {
    planned = rebuild.plan(ctx.q, {
      table,
      changes,
      schema,
      archive: ctx.options.archive,
      major: ctx.major,
    });
  } catch (error) {
    if (error instanceof SchemapilotError) return keep(error.message);
    throw error;
  }
  return {
    steps: [
      {
        // Never moved to the contract phase, even when it drops a column: it re-creates the whole
        // table from the text it was planned on, so a later statement's change to the table, run
        // before it, would be undone. It stays where the statement is.
        phase: 'expand',
        description: planned.description,
        // Outside the runner's transaction: PRAGMA foreign_keys only works there, so the step
        // turns it OFF, opens its own transaction, and turns it back ON after COMMIT.
        sql: ownTransaction(planned.around, planned.sql),
        transactional: false,
        rollback: ownTransaction(planned.around, planned.rollback),
        reversible: planned.reversible,
        destroysData: planned.destroysData,
        preChecks: planned.preChecks,
        postChecks: planned.postChecks,
        long: true,
        copiesTable: target,
      },
    ],
    warnings: planned.warnings.map((w) => `${target}: ${w}`),
  };
}

const recipe: Recipe = Object.assign((ctx: Parameters<Recipe>[0]) => sqliteRebuildRecipe(ctx), {
  dialects: ['sqlite'] as const,
});

const KINDS: readonly ChangeKind[] = [
  'add column',
  'drop column',
  'alter column type',
  'set not null',
  'drop not null',
  'set default',
  'drop default',
  'add constraint',
  'drop constraint',
];

export const SQLITE_RECIPES: Partial<Record<ChangeKind, Recipe>> = Object.fromEntries(
  KINDS.map((k) => [k, recipe]),
);
