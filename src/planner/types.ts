/**
 * What recipes produce and receive. A recipe turns one Change into step drafts; the planner
 * orders them, names them, and works out each step's lock and duration by analysing the step's
 * own SQL against the schema as the earlier steps leave it.
 */
import type { ChangeFacts } from '../core/analysis.js';
import type { Change } from '../core/change.js';
import type { FactContext } from '../core/facts.js';
import type { BackfillSpec, PlanCheck, PlanOptions, PlanPhase, ToolRun } from '../core/plan.js';
import type { Quoter } from '../core/rule.js';
import type { Table } from '../core/snapshot.js';
import type { ResolvedConfig } from '../config/types.js';
import type { PlanningEngine } from '../core/dialect/language.js';
import type { RebuildSchema, SafeSql } from '../core/dialect/safe-sql.js';

export interface StepDraft {
  phase: PlanPhase;
  description: string;
  sql: string[];
  transactional: boolean;
  rollback: string[];
  /** Defaults to true; false when the step destroys data that its rollback cannot bring back. */
  reversible?: boolean;
  /** The step deletes data: drops a column or table without keeping a copy. */
  destroysData?: boolean;
  /** Set by the planner for statements kept as written. */
  asWritten?: boolean;
  preChecks?: PlanCheck[];
  postChecks?: PlanCheck[];
  backfill?: BackfillSpec;
  /** Done by an online schema change tool; `sql` is the ALTER it performs. */
  tool?: ToolRun;
  /** Index builds, validations and backfill batches get the long statement timeout. */
  long?: boolean;
  /**
   * The step copies every row of this table (qualified) into a new one (SQLite's table rebuild):
   * its duration is the table's rewrite, whatever its statements' own facts say.
   */
  copiesTable?: string;
}

export interface RecipeResult {
  steps: StepDraft[];
  warnings?: string[];
}

/** The engine recipes receive: the contract's PlanningEngine (core/dialect/language.ts). */
export type PlannerDialect = PlanningEngine;

export interface RecipeContext {
  change: Change;
  /** SQL of the whole source statement, as written. */
  statementSql: string;
  /** Parser node of the source statement. */
  statementAst: unknown;
  /** Facts of the Change on the target, before any rewrite. */
  facts: ChangeFacts;
  /**
   * The statement's action the Change comes from, with all the Changes it lowered to and their
   * facts (one, except where an action restates several things: MySQL's MODIFY).
   */
  clause: { action: number; changes: readonly Change[]; facts: readonly ChangeFacts[] };
  /** The table the change acts on, before the change (undefined when unknown). */
  table(name: string): Table | undefined;
  isNew(name: string): boolean;
  /** The name the server would give an unnamed index on these columns here (`<table>_<cols>_idx`, numbered when taken). */
  unnamedIndexName(table: string, columns: readonly string[]): string;
  /** Views (qualified) that read the column of the table, from the snapshot. */
  viewsUsing(table: string, column: string): string[];
  /** Every table as it stands before the Change and the snapshot's views (SQLite's rebuild looks at what reads its table). */
  schema(): RebuildSchema;
  factContext: FactContext;
  major: number;
  q: Quoter;
  /** The dialect's safe-SQL building blocks: every statement a recipe writes comes from here or its own text. */
  sql: SafeSql;
  options: PlanOptions;
  config: ResolvedConfig;
  dialect: PlannerDialect;
}

export interface Recipe {
  (ctx: RecipeContext): RecipeResult | null;
  /** The dialects (registry names) the recipe writes steps for; absent: every dialect. */
  dialects?: readonly string[];
}
