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
import { NO_FACTS, type ParsedStatement } from '../core/analysis.js';
import type { Change, ChangeKind } from '../core/change.js';
import { changeTable } from '../core/change.js';
import { blockedTraffic, lockModelOf, lockStrength, type LockMode } from '../core/locks.js';
import type { Plan, PlanOptions, PlanSource, PlanStep, RetryPolicy } from '../core/plan.js';
import { DEFAULT_PLAN_OPTIONS } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { groupBy } from '../core/sort.js';
import type { ResolvedConfig } from '../config/types.js';
import { estimateChangeMs, tableSize } from '../assess/duration.js';
import type { MigrationFile } from '../core/migration.js';
import { SchemaState } from '../schema/state.js';
import type { PlannerDialect, StepDraft } from './types.js';
import { actionUnits, factContextOf, planAction, type ChangeResult } from './actions.js';
import { planRun } from './runs.js';

export { recipeKinds } from './actions.js';

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

/** The retry shape of every step; the errors worth retrying are the dialect's (`retryOn`). */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  backoffMs: 500,
  maxBackoffMs: 10_000,
  retryOn: [],
};

export interface PlanInput {
  files: readonly MigrationFile[];
  snapshot: SchemaSnapshot | null;
  major: number;
  config: ResolvedConfig;
  options?: Partial<PlanOptions>;
  dialect: PlannerDialect;
}

interface Draft extends StepDraft {
  source: number;
  /** The statement itself when the step is its SQL as written: finishSteps need not parse it again. */
  parsed?: ParsedStatement;
}

export function planMigration(input: PlanInput): Plan {
  const options: PlanOptions = { ...DEFAULT_PLAN_OPTIONS, ...input.options };
  const { dialect, config } = input;
  const sql = dialect.safeSql;
  const state = new SchemaState(input.snapshot);
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
        const planned = planRun(together, { state, input, options });
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
        results.push(...planAction(unit, { statement, state, input, options, sql }));
      if (changes.some((c) => c.kind === 'set'))
        warnings.push(
          `${statement.file}:${statement.line}: SET is dropped; each step sets its own session settings`,
        );
      for (const r of results) warnings.push(...(r.recipe?.warnings ?? []));

      if (results.every((r) => r.recipe === null || r.recipe.steps.length === 0)) {
        drafts.push({ ...asIs(statement.sql, results), source, parsed: statement });
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
        drafts.push({ ...asIs(sql, kept), source });
      }
    }
  }

  const ordered = [
    ...drafts.filter((d) => d.phase !== 'contract'),
    ...drafts.filter((d) => d.phase === 'contract'),
  ];
  const steps = finishSteps(ordered, input, options);
  return {
    formatVersion: 1,
    dialect: dialect.dialect,
    serverMajor: input.major,
    sourceSchemaHash: input.snapshot?.hash ?? null,
    options,
    sources,
    steps,
    rollbackComplexity: rollbackComplexity(steps),
    recommendedApproach: describeSteps(steps, warnings, dialect),
    warnings: [...new Set(warnings)],
  };
}

function asIs(sql: string, results: readonly ChangeResult[]): StepDraft {
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
  };
}

function describeAsIs(changes: readonly Change[]): string {
  const kinds = [...new Set(changes.map((c) => c.kind))].join(', ');
  const table = changes.map(changeTable).find((t) => t !== null);
  return `As written (${kinds}${table ? ` on ${table}` : ''}): safe as it is.`;
}

/** Between step texts when they are parsed together; no recipe or migration writes it. */
const STEP_BOUNDARY = `SELECT 'schemapilot: end of step SQL'`;

/**
 * The statements of each SQL text, from one parser call for all of them: a call per text made
 * planning a 10,000-statement migration a third of analyze's time. Each text holds complete
 * statements; the newline before the `;` ends a trailing comment, and a boundary statement
 * marks where each text ends.
 */
function parseEach(texts: readonly string[], dialect: PlannerDialect): ParsedStatement[][] {
  if (texts.length === 0) return [];
  const joined = texts.map((text) => `${text}\n;\n${STEP_BOUNDARY};\n`).join('');
  const out: ParsedStatement[][] = [[]];
  for (const statement of dialect.parse(joined, 'plan').statements) {
    if (statement.sql === STEP_BOUNDARY) out.push([]);
    else out[out.length - 1]?.push(statement);
  }
  out.pop();
  return out;
}

/**
 * Name the steps, and state each one's lock and duration by analysing its own SQL against the
 * schema the earlier steps leave (a second SchemaState, replayed in plan order).
 */
function finishSteps(drafts: readonly Draft[], input: PlanInput, options: PlanOptions): PlanStep[] {
  const { dialect, config } = input;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, retryOn: [...(dialect.retryOn ?? [])] };
  const model = lockModelOf(dialect.dialect);
  // The server's unit (MySQL's lock_wait_timeout: whole seconds), so the plan says what runs.
  const unit = dialect.lockTimeoutUnitMs ?? 1;
  const lockTimeoutMs = Math.max(unit, Math.ceil(options.lockTimeoutMs / unit) * unit);
  const state = new SchemaState(input.snapshot);
  const counters: Record<string, number> = {};
  // Only the SQL the recipes wrote is parsed; a step kept as written reuses its statement.
  const parsed = parseEach(
    drafts.flatMap((d) => (d.parsed ? [] : d.sql)),
    dialect,
  );
  let next = 0;
  return drafts.map((d) => {
    counters[d.phase] = (counters[d.phase] ?? 0) + 1;
    let lock: { table: string; mode: LockMode } | null = null;
    let estimatedMs = 0;
    // A backfill and an online schema change tool write rows batch by batch (the tool: into its
    // copy of the table, and through triggers or the binary log), taking what any write takes.
    const writer =
      d.backfill?.table ??
      (d.tool ? `${d.tool.database ?? config.defaultSchema}.${d.tool.table}` : undefined);
    if (writer) {
      const size = tableSize(state.table(writer), config.largeTableRows);
      estimatedMs = estimateChangeMs({ ...NO_FACTS, rewritesTable: true }, size, d.tool ? 1 : 0);
      lock = { table: writer, mode: model.writeMode };
    }
    // A table rebuild copies every row and builds its indexes again; its statements name the new
    // table (unknown size), so the copy is counted here. Its locks are its statements' own.
    if (d.copiesTable) {
      const copied = state.table(d.copiesTable);
      const size = tableSize(copied, config.largeTableRows);
      estimatedMs += estimateChangeMs(
        { ...NO_FACTS, rewritesTable: true, rebuildsIndexes: true },
        size,
        copied?.indexes.length ?? 1,
      );
    }
    const statementsOf = d.parsed ? [[d.parsed]] : d.sql.map(() => parsed[next++] ?? []);
    for (const statements of statementsOf) {
      for (const statement of statements) {
        for (const change of dialect.lower(statement.ast, config.defaultSchema)) {
          const facts = dialect.facts.changeFacts(change, factContextOf(state, input));
          const target = changeTable(change);
          const fresh = target !== null && state.isNew(target);
          if (!writer && !fresh) {
            estimatedMs += estimateChangeMs(
              facts,
              tableSize(target ? state.table(target) : undefined, config.largeTableRows),
              state.table(target ?? '')?.indexes.length ?? 1,
            );
          }
          for (const l of facts.locks) {
            if (writer || state.isNew(l.table)) continue;
            if (!lock || lockStrength(l.mode, model) > lockStrength(lock.mode, model))
              lock = { table: l.table, mode: l.mode };
          }
          state.apply(change);
        }
      }
    }
    // A rebuild's statements lock the whole database (SQLite): say it of the table it rebuilds,
    // not of the helper tables it creates on the way.
    if (d.copiesTable && lock) lock = { table: d.copiesTable, mode: lock.mode };
    return {
      id: `${d.phase}-${counters[d.phase]}`,
      phase: d.phase,
      description: d.description,
      sql: d.sql,
      transactional: d.transactional,
      lock,
      estimatedMs: Math.round(estimatedMs),
      lockTimeoutMs,
      statementTimeoutMs: d.long ? options.longStatementTimeoutMs : options.statementTimeoutMs,
      retry,
      rollback: d.rollback,
      reversible: d.reversible ?? true,
      destroysData: d.destroysData ?? false,
      asWritten: d.asWritten ?? false,
      preChecks: d.preChecks ?? [],
      postChecks: d.postChecks ?? [],
      ...(d.backfill ? { backfill: d.backfill } : {}),
      ...(d.tool ? { tool: d.tool } : {}),
      source: d.source,
    };
  });
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

/** 1 = drop what was added; 3 = restore from an archive or a view; 5 = data is gone. */
export function rollbackComplexity(steps: readonly PlanStep[]): 1 | 2 | 3 | 4 | 5 {
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
