/**
 * The planner's first pass over one statement: its Changes grouped by the action (ALTER clause)
 * each comes from, each Change's facts and rollback against the schema just before it, and the
 * recipe that plans it, if its kind has one for the dialect.
 */
import type { ParsedStatement } from '../core/analysis.js';
import type { Change, ChangeKind } from '../core/change.js';
import { changeTable } from '../core/change.js';
import type { FactContext } from '../core/facts.js';
import type { PlanOptions } from '../core/plan.js';
import type { SafeSql } from '../core/dialect/safe-sql.js';
import { relationLookups } from '../schema/relations.js';
import type { SchemaState } from '../schema/state.js';
import { inverseOf } from './inverse.js';
import type { PlanInput } from './plan.js';
import { standardAlterTable } from './sql.js';
import { addColumnRecipe } from './recipes/add-column.js';
import { addConstraintRecipe } from './recipes/constraint.js';
import { dropColumnRecipe, dropTableRecipe } from './recipes/drop.js';
import { createIndexRecipe, dropIndexRecipe } from './recipes/index.js';
import { MYSQL_RECIPES } from './recipes/mysql/index.js';
import { setNotNullRecipe } from './recipes/not-null.js';
import { renameColumnRecipe, renameTableRecipe } from './recipes/rename.js';
import { SQLITE_RECIPES } from './recipes/sqlite.js';
import { alterTypeRecipe } from './recipes/type-change.js';
import type { PlannerDialect, Recipe, RecipeContext, RecipeResult } from './types.js';

const POSTGRES_RECIPES: Partial<Record<ChangeKind, Recipe>> = {
  'add column': addColumnRecipe,
  'set not null': setNotNullRecipe,
  'create index': createIndexRecipe,
  'drop index': dropIndexRecipe,
  'add constraint': addConstraintRecipe,
  'alter column type': alterTypeRecipe,
  'rename column': renameColumnRecipe,
  'rename table': renameTableRecipe,
  'drop column': dropColumnRecipe,
  'drop table': dropTableRecipe,
};

/** Every dialect's recipes by kind; a kind's first recipe that writes steps for the dialect runs. */
const RECIPES: readonly Partial<Record<ChangeKind, Recipe>>[] = [
  POSTGRES_RECIPES,
  MYSQL_RECIPES,
  SQLITE_RECIPES,
];

/** The kind's recipe when one writes steps for this dialect. */
function recipeFor(kind: ChangeKind, dialect: string): Recipe | undefined {
  for (const recipes of RECIPES) {
    const recipe = recipes[kind];
    if (recipe && (!recipe.dialects || recipe.dialects.includes(dialect))) return recipe;
  }
  return undefined;
}

/** The Change kinds that have a recipe for the dialect (the suites that run every recipe on a server check they do). */
export function recipeKinds(dialect = 'postgres'): ChangeKind[] {
  const kinds = new Set(RECIPES.flatMap((r) => Object.keys(r) as ChangeKind[]));
  return [...kinds].filter((kind) => recipeFor(kind, dialect) !== undefined);
}

export interface ChangeResult {
  change: Change;
  /** The statement's action the Change comes from. */
  action: number;
  recipe: RecipeResult | null;
  inverse: { sql: string[]; reversible: boolean };
  transactional: boolean;
}

/** The statement's Changes grouped by the action each comes from, in order. */
export function actionUnits(
  ast: unknown,
  changes: readonly Change[],
  dialect: PlannerDialect,
): { action: number; changes: Change[] }[] {
  const units: { action: number; changes: Change[] }[] = [];
  changes.forEach((change, i) => {
    const action = changes.length > 1 && dialect.actionOf ? dialect.actionOf(ast, i) : i;
    const last = units[units.length - 1];
    if (last && last.action === action) last.changes.push(change);
    else units.push({ action, changes: [change] });
  });
  return units;
}

export interface ActionContext {
  statement: ParsedStatement;
  state: SchemaState;
  input: PlanInput;
  options: PlanOptions;
  sql: SafeSql | undefined;
  /**
   * The fact context over `state`, made once per plan: its lookups read the state as it is when
   * called, so one serves every Change (a new one per Change was a tenth of planning's garbage).
   */
  factContext?: FactContext;
}

/**
 * The Changes of one action: each one's facts and rollback against the schema just before it,
 * then its recipe. An action of several Changes is seen whole by its recipes (`clause`), each
 * against the table as it was before its own Change.
 */
export function planAction(unit: { action: number; changes: Change[] }, ctx: ActionContext): ChangeResult[] {
  const { statement, state, input, options, sql } = ctx;
  const { dialect } = input;
  const q = dialect.quote;
  const several = unit.changes.length > 1;
  // Each Change's facts and rollback against the schema just before it; with several, the
  // schema moves on at once, and each recipe later sees its table as it was before its Change.
  const seen = unit.changes.map((change) => {
    const target = changeTable(change);
    const before = target && several ? structuredClone(state.table(target)) : undefined;
    const factContext = ctx.factContext ?? factContextOf(state, input);
    const facts = dialect.facts.changeFacts(change, factContext);
    const inverse =
      dialect.inverse?.(change, (name) => state.table(name)) ??
      inverseOf(
        change,
        q,
        sql?.alterTable ?? standardAlterTable,
        (name) => state.table(name),
        (table, columns) => state.unnamedIndexName(table, columns),
      );
    if (several) state.apply(change);
    return { change, target, before, factContext, facts, inverse };
  });
  const clause = { action: unit.action, changes: unit.changes, facts: seen.map((s) => s.facts) };
  return seen.map((s) => {
    const run = sql ? recipeFor(s.change.kind, dialect.dialect) : undefined;
    const recipeCtx: RecipeContext | null =
      sql && run
        ? {
            change: s.change,
            statementSql: statement.sql,
            statementAst: statement.ast,
            facts: s.facts,
            clause,
            table: (name) => (several && name === s.target ? s.before : state.table(name)),
            isNew: (name) => state.isNew(name),
            unnamedIndexName: (table, columns) => state.unnamedIndexName(table, columns),
            viewsUsing: (table, column) =>
              (input.snapshot?.views ?? [])
                .filter((v) => v.dependsOn.some((d) => d.relation === table && d.columns.includes(column)))
                .map((v) => `${v.schema}.${v.name}`),
            schema: () => ({ tables: [...state.allTables()], views: input.snapshot?.views ?? [] }),
            factContext: s.factContext,
            major: input.major,
            q,
            sql,
            options,
            config: input.config,
            dialect,
          }
        : null;
    const recipe = run && recipeCtx ? run(recipeCtx) : null;
    if (!several) state.apply(s.change);
    return {
      change: s.change,
      action: unit.action,
      recipe,
      inverse: s.inverse,
      transactional: s.facts.transactional,
    };
  });
}

export function factContextOf(state: SchemaState, input: PlanInput): FactContext {
  return {
    major: input.major,
    table: (name) => state.table(name),
    tableOfIndex: (index) => state.tableOfIndex(index),
    isNew: (name) => state.isNew(name),
    volatility: () => undefined,
    timeZoneIsUtc: input.config.timeZoneIsUtc === true,
    ...relationLookups(state, () => input.snapshot?.views ?? []),
  };
}
