/**
 * The planner's second pass: name the steps, and state each one's lock and duration by analysing
 * its own SQL against the schema the earlier steps leave (a SchemaState replayed in plan order).
 *
 * Steps are finished in order and on demand: analyze prints the first few steps of a plan that
 * can run to thousands, and finishing the rest (parsing the SQL the recipes wrote, lowering it,
 * replaying it) was a fifth of its time on a 10,000-statement file (bench/RESULTS.md, "analyze").
 */
import { NO_FACTS, type ParsedStatement } from '../core/analysis.js';
import type { FactContext } from '../core/facts.js';
import { changeTable } from '../core/change.js';
import { lockModelOf, lockStrength, type LockMode, type LockModel } from '../core/locks.js';
import type { PlanStep, RetryPolicy } from '../core/plan.js';
import { estimateChangeMs, tableSize } from '../assess/duration.js';
import { SchemaState } from '../schema/state.js';
import { factContextOf } from './actions.js';
import type { Draft, PlanDraft } from './plan.js';
import type { PlannerDialect } from './types.js';

/** The retry shape of every step; the errors worth retrying are the dialect's (`retryOn`). */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  backoffMs: 500,
  maxBackoffMs: 10_000,
  retryOn: [],
};

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

export class StepFinisher {
  private readonly state: SchemaState;
  private readonly finished: PlanStep[] = [];
  private readonly counters: Record<string, number> = {};
  private readonly retry: RetryPolicy;
  private readonly lockTimeoutMs: number;
  /** Reads `state` as it is when called: one serves every step. */
  private readonly factContext: FactContext;
  private readonly model: LockModel;

  constructor(private readonly draft: PlanDraft) {
    const { dialect, snapshot } = draft.input;
    this.state = new SchemaState(snapshot);
    this.factContext = factContextOf(this.state, draft.input);
    this.model = lockModelOf(dialect.dialect);
    this.retry = { ...DEFAULT_RETRY, retryOn: [...(dialect.retryOn ?? [])] };
    // The server's unit (MySQL's lock_wait_timeout: whole seconds), so the plan says what runs.
    const unit = dialect.lockTimeoutUnitMs ?? 1;
    this.lockTimeoutMs = Math.max(unit, Math.ceil(draft.options.lockTimeoutMs / unit) * unit);
  }

  /** The first `count` steps (every step by default), finishing those not finished yet. */
  upTo(count = this.draft.drafts.length): PlanStep[] {
    const end = Math.min(count, this.draft.drafts.length);
    if (end > this.finished.length) {
      const pending = this.draft.drafts.slice(this.finished.length, end);
      // Only the SQL the recipes wrote is parsed, in one call; a step kept as written reuses its statement.
      const parsed = parseEach(
        pending.flatMap((d) => (d.parsed ? [] : d.sql)),
        this.draft.input.dialect,
      );
      let next = 0;
      for (const d of pending) {
        const statements = d.parsed ? [[d.parsed]] : d.sql.map(() => parsed[next++] ?? []);
        this.finished.push(this.finish(d, statements));
      }
    }
    return this.finished.slice(0, end);
  }

  private finish(d: Draft, statementsOf: readonly (readonly ParsedStatement[])[]): PlanStep {
    const { input, options } = this.draft;
    const { dialect, config } = input;
    const { state } = this;
    const { model } = this;
    this.counters[d.phase] = (this.counters[d.phase] ?? 0) + 1;
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
    for (const statements of statementsOf) {
      for (const statement of statements) {
        for (const change of dialect.lower(statement.ast, config.defaultSchema)) {
          const facts = dialect.facts.changeFacts(change, this.factContext);
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
      id: `${d.phase}-${this.counters[d.phase]}`,
      phase: d.phase,
      description: d.description,
      sql: d.sql,
      transactional: d.transactional,
      lock,
      estimatedMs: Math.round(estimatedMs),
      lockTimeoutMs: this.lockTimeoutMs,
      statementTimeoutMs: d.long ? options.longStatementTimeoutMs : options.statementTimeoutMs,
      retry: this.retry,
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
  }
}
