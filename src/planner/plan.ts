/**
 * The planner: migration files + schema snapshot + server version → Plan. Pure and
 * deterministic: the same input gives the same plan, byte for byte (no clocks, no randomness,
 * no I/O; the dialect's parser must already be loaded).
 *
 * Each statement's Changes go to their recipe (src/planner/recipes); a statement whose Changes
 * need none is kept as written, with its rollback derived from the schema. Contract steps move
 * to the end: they run after every service has moved to the new code. Then every step's own
 * SQL is analysed against the schema the earlier steps leave, to state its lock and duration.
 */
import type { ParsedStatement } from '../core/analysis.js';
import type { Change, ChangeKind } from '../core/change.js';
import { changeTable } from '../core/change.js';
import { blockedTraffic, lockModelOf } from '../core/locks.js';
import type { Plan, PlanOptions, PlanSource, PlanStep } from '../core/plan.js';
import { DEFAULT_PLAN_OPTIONS } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { groupBy } from '../core/sort.js';
import type { ResolvedConfig } from '../config/types.js';
import type { MigrationFile } from '../core/migration.js';
import { SchemaState } from '../schema/state.js';
import type { PlannerDialect, StepDraft } from './types.js';
import { actionUnits, factContextOf, planAction, type ChangeResult } from './actions.js';
import { planRun } from './runs.js';
import { StepFinisher } from './finish.js';

export { recipeKinds } from './actions.js';
export { DEFAULT_RETRY } from './finish.js';

/** Kinds that only remove things: kept as written, they belong to the contract phase. */
const CONTRACT_KINDS = new Set<ChangeKind>([
  'drop constraint',
  'drop view',
  'drop default',
  'drop trigger',
  'drop type',
  'drop schema',
  'drop database',
  'drop identity',
]);
/** Session and transaction control: the plan sets its own transactions and timeouts. */
const SKIPPED_KINDS = new Set<ChangeKind>(['transaction', 'set timeout', 'select']);

export interface PlanInput {
  files: readonly MigrationFile[];
  snapshot: SchemaSnapshot | null;
  major: number;
  config: ResolvedConfig;
  options?: Partial<PlanOptions>;
  dialect: PlannerDialect;
}

export interface Draft extends StepDraft {
  source: number;
  /** The statement itself when the step is its SQL as written: the finisher need not parse it again. */
  parsed?: ParsedStatement;
}

/**
 * The plan before its steps are finished: every step's SQL, phase and rollback in plan order,
 * not yet its lock and duration. Enough for the rollback complexity and the shape of the plan;
 * analyze finishes only the steps it prints (StepFinisher) unless someone reads the whole plan.
 */
export interface PlanDraft {
  input: PlanInput;
  options: PlanOptions;
  /** In plan order: contract steps last. */
  drafts: Draft[];
  sources: PlanSource[];
  warnings: string[];
}

export function planMigration(input: PlanInput): Plan {
  const draft = draftPlan(input);
  return completePlan(draft, new StepFinisher(draft).upTo());
}

/** The plan of a draft whose steps are all finished. */
export function completePlan(draft: PlanDraft, steps: PlanStep[]): Plan {
  const { input, options, warnings } = draft;
  return {
    formatVersion: 1,
    dialect: input.dialect.dialect,
    serverMajor: input.major,
    sourceSchemaHash: input.snapshot?.hash ?? null,
    options,
    sources: draft.sources,
    steps,
    rollbackComplexity: rollbackComplexity(steps),
    recommendedApproach: describeSteps(steps, warnings, input.dialect),
    warnings: [...new Set(warnings)],
  };
}

export function draftPlan(input: PlanInput): PlanDraft {
  const options: PlanOptions = { ...DEFAULT_PLAN_OPTIONS, ...input.options };
  const { dialect, config } = input;
  const sql = dialect.safeSql;
  const state = new SchemaState(input.snapshot);
  const factContext = factContextOf(state, input);
  const drafts: Draft[] = [];
  const sources: PlanSource[] = [];
  const warnings: string[] = [];

  for (const file of input.files) {
    const parsed = dialect.parse(file.sql, file.path).statements;
    const runs = dialect.runs?.find(parsed) ?? [];
    for (let index = 0; index < parsed.length; index++) {
      const statement = parsed[index];
      if (!statement) continue;
      const run = runs.find((r) => r.first === index && r.last > r.first);
      if (run) {
        const together = parsed.slice(run.first, run.last + 1);
        const source = sources.length;
        for (const s of together) sources.push({ file: s.file, line: s.line, sql: s.sql });
        const planned = planRun(together, { state, input, options, factContext });
        drafts.push({ ...planned.draft, source });
        warnings.push(...planned.warnings);
        index = run.last;
        continue;
      }
      const source = sources.length;
      sources.push({ file: statement.file, line: statement.line, sql: statement.sql });
      const changes = dialect.lower(statement.ast, config.defaultSchema);
      if (changes.every((c) => SKIPPED_KINDS.has(c.kind))) continue;
      const results: ChangeResult[] = [];
      for (const unit of actionUnits(statement.ast, changes, dialect))
        results.push(...planAction(unit, { statement, state, input, options, sql, factContext }));
      if (changes.some((c) => c.kind === 'set'))
        warnings.push(
          `${statement.file}:${statement.line}: SET is dropped; each step sets its own session settings`,
        );
      for (const r of results) warnings.push(...(r.recipe?.warnings ?? []));

      if (results.every((r) => r.recipe === null || r.recipe.steps.length === 0)) {
        drafts.push(asIs(statement.sql, results, source, statement));
        continue;
      }
      // The Changes of one action (a MySQL MODIFY restating a column) are one step: the recipe
      // of one of them plans the action whole, or the action is kept as written.
      for (const unit of groupBy(results, (r) => String(r.action)).values()) {
        const planned = unit.filter((r) => r.recipe && r.recipe.steps.length > 0);
        if (planned.length > 0) {
          for (const r of planned) for (const step of r.recipe?.steps ?? []) drafts.push({ ...step, source });
          continue;
        }
        const kept = unit.filter((r) => !SKIPPED_KINDS.has(r.change.kind));
        const first = kept[0];
        if (!first) continue;
        const sql =
          changes.length > 1 ? dialect.alterTableAction(statement.ast, first.action) : statement.sql;
        drafts.push(asIs(sql, kept, source));
      }
    }
  }

  const ordered = [
    ...drafts.filter((d) => d.phase !== 'contract'),
    ...drafts.filter((d) => d.phase === 'contract'),
  ];
  return { input, options, drafts: ordered, sources, warnings };
}

/** The step that runs the statement as written (`parsed`: the statement itself, when it is whole). */
function asIs(
  sql: string,
  results: readonly ChangeResult[],
  source: number,
  parsed?: ParsedStatement,
): Draft {
  const kinds = results.map((r) => r.change.kind);
  const contract = kinds.every((k) => CONTRACT_KINDS.has(k));
  const destroysData = kinds.some(
    (k) =>
      k === 'drop table' ||
      k === 'drop column' ||
      k === 'truncate' ||
      k === 'drop schema' ||
      k === 'drop database',
  );
  return {
    phase: contract ? 'contract' : 'expand',
    description: describeAsIs(results.map((r) => r.change)),
    sql: [sql],
    transactional: results.every((r) => r.transactional),
    // Last Change first; each Change's own statements keep their order (ADD … NOT VALID, then VALIDATE).
    rollback: [...results].reverse().flatMap((r) => r.inverse.sql),
    reversible: results.every((r) => r.inverse.reversible),
    destroysData,
    asWritten: true,
    source,
    parsed,
  };
}

function describeAsIs(changes: readonly Change[]): string {
  const kinds = [...new Set(changes.map((c) => c.kind))].join(', ');
  const table = changes.map(changeTable).find((t) => t !== null);
  return `As written (${kinds}${table ? ` on ${table}` : ''}): safe as it is.`;
}

/**
 * MySQL and MariaDB commit before and after every DDL statement: no step's DDL can be rolled
 * back by the server, so each step is its own unit, and a step that fails half way leaves the
 * statements before the failure done (https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html).
 */
export const NON_TRANSACTIONAL_DDL =
  'MySQL/MariaDB DDL is not transactional: each step commits on its own and is its own unit; if one fails part way, the statements before the failure stay done and its rollback (run by deploy) undoes them.';

/**
 * A step outside the runner's transaction that opens and commits its own, with statements around
 * it that only work outside one (SQLite's table rebuild: PRAGMA foreign_keys before and after).
 */
function opensTransaction(step: PlanStep): boolean {
  return step.sql.some((s) => /^\s*BEGIN\b/i.test(s)) && step.sql.some((s) => /^\s*(COMMIT|END)\b/i.test(s));
}

/** What the rollback complexity depends on: a finished step, or a draft with its defaults. */
type RollbackShape = Pick<PlanStep, 'phase' | 'reversible' | 'destroysData'>;

/** 1 = drop what was added; 3 = restore from an archive or a view; 5 = data is gone. */
export function rollbackComplexity(steps: readonly RollbackShape[]): 1 | 2 | 3 | 4 | 5 {
  const irreversible = steps.filter((s) => !s.reversible);
  if (irreversible.some((s) => s.destroysData)) return 5;
  if (irreversible.length > 0) return 4;
  if (steps.some((s) => s.phase === 'contract')) return 3;
  if (steps.some((s) => s.phase === 'backfill')) return 2;
  return 1;
}

function describeSteps(
  steps: readonly PlanStep[],
  warnings: readonly string[],
  dialect: PlannerDialect,
): string {
  const model = lockModelOf(dialect.dialect);
  const lines = steps.map((s, i) => {
    const lock = s.lock
      ? `${s.lock.mode} on ${s.lock.table}${blockedTraffic(s.lock.mode, model).writes ? '' : ', traffic continues'}`
      : 'no lock on existing tables';
    const unit = s.transactional
      ? ''
      : opensTransaction(s)
        ? '; its own BEGIN … COMMIT'
        : '; outside a transaction';
    return `${i + 1}. [${s.phase}] ${s.description} (${lock}; ~${s.estimatedMs} ms${unit})`;
  });
  if (steps.some((s) => s.phase === 'contract')) {
    lines.push(
      'Run the contract steps only after every service has deployed code that no longer uses what they remove.',
    );
  }
  if (dialect.ddlCommitsTransaction && steps.some((s) => !s.transactional)) lines.push(NON_TRANSACTIONAL_DDL);
  for (const w of new Set(warnings)) lines.push(`Note: ${w}.`);
  return lines.join('\n');
}
