/**
 * The analysis loop: parse each file, lower each statement to Changes, ask the dialect for each
 * Change's facts against the schema as it stands at that point, run the rules, apply ignores
 * and size-based severity, then apply the Change to the schema for the next statement.
 */
import type {
  AnalyzedStatement,
  ChangeFacts,
  Finding,
  LockFact,
  ParsedStatement,
  Severity,
} from '../core/analysis.js';
import type { Change } from '../core/change.js';
import { changeTable } from '../core/change.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import type { Engine } from '../core/dialect/language.js';
import type { SafeSql } from '../core/dialect/safe-sql.js';
import type { MigrationFile, StatementDetail } from '../core/migration.js';
import type { FactContext, Volatility } from '../core/facts.js';
import { lockStrength } from '../core/locks.js';
import type { Quoter, Rule, RuleContext, SessionSettings, TransactionContext } from '../core/rule.js';
import type { ResolvedConfig } from '../config/types.js';
import { assumedSize, blockingLock, estimateChangeMs, tableSize } from '../assess/duration.js';
import { relationLookups } from '../schema/relations.js';
import { SchemaState } from '../schema/state.js';
import { parseDirectives, type IgnoreDirective } from './ignores.js';
import { LaterChanges } from './later.js';
import { RelationCatalog } from './relations.js';

export interface RunInput {
  files: readonly MigrationFile[];
  snapshot: SchemaSnapshot | null;
  major: number;
  config: ResolvedConfig;
  rules: readonly Rule[];
  /** Function volatility from the live database, when connected. */
  volatility?: (fn: string) => Volatility | undefined;
}

export interface RunOutput {
  statements: AnalyzedStatement[];
  details: StatementDetail[];
  state: SchemaState;
  /** How "new table" was decided where it mattered, for the output's assumptions. */
  newTableNotes: NewTableNotes;
}

/** Tables whose newness the deploy-unit rule decided, by what the later statements saw. */
export interface NewTableNotes {
  /** Created by an earlier file and used by a later one: table → file that created it. */
  createdEarlier: Map<string, string>;
  /** Created and then filled in the same file: table → where it was filled (`file:line`). */
  filled: Map<string, string>;
}

export type { Engine } from '../core/dialect/language.js';
export type { MigrationFile, StatementDetail } from '../core/migration.js';

export const ENGINE_RULE_IDS = ['invalid-ignore'] as const;

/** The engine, with the dialect's safe SQL for rules' safe alternatives when it has any. */
export type AnalysisEngine = Engine & { safeSql?: SafeSql };

export function runAnalysis(input: RunInput, engine: AnalysisEngine): RunOutput {
  // A table the migration cannot size (made by an earlier file, or filled by a statement) is
  // assumed large, as every table is without a schema.
  const state = new SchemaState(input.snapshot, {
    rowEstimate: null,
    ...assumedSize(input.config.largeTableRows),
  });
  const newTableNotes: NewTableNotes = { createdEarlier: new Map(), filled: new Map() };
  // Where each new table was filled; noted once a later statement uses the table.
  const fillSites = new Map<string, string>();
  // Views dropped by earlier statements no longer depend on anything (the snapshot still lists them).
  const droppedViews = new Set<string>();
  // Its functions read the state as it is when called, so one serves every Change.
  const catalog = new RelationCatalog(input.snapshot, state);
  const factCtx = factContext(state, input, droppedViews, catalog);
  const knownRules = new Set([...input.rules.map((r) => r.meta.id), ...ENGINE_RULE_IDS]);
  const rulesByKind = indexRules(input.rules, input.config, engine.dialect);
  const statements: AnalyzedStatement[] = [];
  const details: StatementDetail[] = [];
  let nextTransactionId = 1;

  let previous: TransactionTracker | null = null;
  let previousUnit: string | null = null;
  for (const file of input.files) {
    const parsed = engine.parse(file.sql, file.path);
    const fileDirectives = parseDirectives(parsed.comments).filter((d) => d.scope === 'file');
    const continues = file.continuesTransaction === true && previous !== null && previous.active;
    const tx: TransactionTracker = continues && previous ? previous : new TransactionTracker();
    previous = tx;
    // Each file is its own deploy, unless the runner applies it in the previous file's
    // transaction or the caller says it is deployed with the previous one.
    const unit = file.deployUnit ?? file.path;
    if (!continues && unit !== previousUnit) {
      state.beginDeployUnit(unit);
      catalog.beginDeployUnit();
    }
    previousUnit = unit;
    const reportedOnce = new Set<string>();
    // Lowered up front so that a rule can see what later statements of the file do.
    const lowered = parsed.statements.map((s) => engine.lower(s.ast, input.config.defaultSchema));
    const later = new LaterChanges(lowered);
    const session: SessionSettings = { lockTimeoutMs: null, statementTimeoutMs: null };
    const implicit = file.transaction === 'implicit' && parsed.statements.length > 1;
    if (!continues && (file.transaction === 'transaction' || implicit)) {
      tx.begin(file.transaction === 'transaction' ? 'runner' : 'implicit', nextTransactionId++);
    }

    parsed.statements.forEach((statement, index) => {
      const changes = lowered[index] ?? [];
      // Built only when a rule asks: most statements never need it.
      let laterChanges: readonly Change[] | undefined;
      const lookAhead: LookAhead = {
        all: () => (laterChanges ??= later.all(index)),
        ofKind: (kind) => later.ofKind(index, kind),
        onTable: (table) => later.onTable(index, table),
        some: (test) => later.some(index, test),
      };
      const directives = [
        ...fileDirectives,
        ...parseDirectives(statement.leadingComments).filter((d) => d.scope === 'statement'),
      ];
      const findings: Finding[] = [];
      if (index === 0) findings.push(...directiveProblems(fileDirectives, knownRules));
      findings.push(
        ...directiveProblems(
          parseDirectives(statement.leadingComments).filter((d) => d.scope === 'statement'),
          knownRules,
        ),
      );

      const alreadyOpen = tx.active;
      for (const change of changes)
        if (change.kind === 'transaction' && change.action === 'begin') tx.explicitBegin(nextTransactionId++);
      const inTransaction = tx.active && !changes.every((c) => c.kind === 'transaction');
      const transactionId = tx.active ? tx.id : null;

      const allFacts: ChangeFacts[] = [];
      const locks: LockFact[] = [];
      let estimatedLockMs = 0;
      let durationMs = 0;
      const existingTables = new Set<string>();
      for (const change of changes) {
        const facts = engine.facts.changeFacts(change, factCtx);
        allFacts.push(facts);
        for (const l of facts.locks) {
          if (!state.isNew(l.table)) existingTables.add(l.table);
          mergeLock(locks, l);
        }
        const target = changeTable(change);
        const table = target ? state.table(target) : undefined;
        const fresh = target !== null && state.isNewAndEmpty(target);
        noteNewness(newTableNotes, state, { change, facts, target, fillSites });
        const size = tableSize(table, input.config.largeTableRows);
        const ms =
          fresh || change.kind === 'transaction'
            ? 0
            : estimateChangeMs(facts, size, table?.indexes.length ?? 1);
        durationMs += ms;
        // A lock on a table created in this deploy unit blocks nobody: nobody else uses it yet.
        const onExisting = { ...facts, locks: facts.locks.filter((l) => !state.isNew(l.table)) };
        if (blockingLock(onExisting) !== null) estimatedLockMs += ms;

        const ctx = ruleContext(
          change,
          facts,
          changes,
          statement,
          tx.context(alreadyOpen),
          session,
          state,
          input,
          engine.quote,
          engine.safeSql ?? null,
          { later: lookAhead, droppedViews, catalog },
        );
        for (const rule of rulesByKind.get(change.kind) ?? []) {
          for (const draft of rule.check(ctx)) {
            if (rule.meta.oncePerFile) {
              if (reportedOnce.has(rule.meta.id)) continue;
              reportedOnce.add(rule.meta.id);
            }
            const findingTable = draft.table ?? target ?? undefined;
            if (rule.meta.skipNewTables && findingTable && state.isNew(findingTable)) {
              if (!(rule.meta.aboutExistingRows && state.isFilled(findingTable))) continue;
            }
            // The user's configured severity wins; then the finding's own; then the rule's, scaled by size.
            const configured = input.config.rules[rule.meta.id];
            const severity =
              configured && configured !== 'off'
                ? configured
                : (draft.severity ??
                  scaledSeverity(rule, findingTable ? state.table(findingTable) : undefined, input.config));
            findings.push({
              rule: rule.meta.id,
              severity,
              message: draft.message,
              safeAlternative: draft.safeAlternative ?? null,
              ...(findingTable ? { table: findingTable } : {}),
            });
          }
        }
        applySession(session, change);
        if (change.kind === 'drop view') for (const v of change.views) droppedViews.add(v);
        catalog.apply(change);
        tx.afterChange(change, facts);
        // A multi-statement query opens a new implicit transaction after a COMMIT too
        // (exec_simple_query): CONCURRENTLY further down still fails.
        if (implicit && !tx.active) tx.begin('implicit', nextTransactionId++);
        const wasFilled = target !== null && state.isFilled(target);
        state.apply(change);
        if (target !== null && !wasFilled && state.isFilled(target))
          fillSites.set(target, `${statement.file}:${statement.line}`);
      }

      statements.push({
        file: statement.file,
        line: statement.line,
        column: statement.column,
        sql: statement.sql,
        changes,
        locks: locks.map((l) => ({ table: l.table, mode: l.mode })),
        rewritesTable: allFacts.some((f) => f.rewritesTable),
        scansTable: allFacts.some((f) => f.scansTable),
        transactional: inTransaction,
        estimatedLockMs: Math.round(estimatedLockMs),
        findings: dedupe(applyIgnores(findings, directives)),
      });
      details.push({ facts: allFacts, transactionId, durationMs, existingTables: [...existingTables] });
    });
  }
  return { statements, details, state, newTableNotes };
}

/** Remembers the tables this Change uses whose newness the deploy-unit rule decided. */
function noteNewness(
  notes: NewTableNotes,
  state: SchemaState,
  at: { change: Change; facts: ChangeFacts; target: string | null; fillSites: ReadonlyMap<string, string> },
): void {
  if (at.change.kind === 'transaction' || at.change.kind === 'dml') return;
  for (const table of new Set([...(at.target ? [at.target] : []), ...at.facts.locks.map((l) => l.table)])) {
    const earlier = state.createdEarlier(table);
    if (earlier && !notes.createdEarlier.has(table)) notes.createdEarlier.set(table, earlier.createdIn);
    const filledAt = state.isFilled(table) ? at.fillSites.get(table) : undefined;
    if (filledAt && !notes.filled.has(table)) notes.filled.set(table, filledAt);
  }
}

/** The rules to run by Change kind: those not turned off, for this dialect (meta.dialects). */
function indexRules(rules: readonly Rule[], config: ResolvedConfig, dialect: string): Map<string, Rule[]> {
  const map = new Map<string, Rule[]>();
  for (const rule of rules) {
    if (config.rules[rule.meta.id] === 'off') continue;
    if (rule.meta.dialects && !rule.meta.dialects.includes(dialect)) continue;
    for (const kind of rule.meta.kinds) {
      const list = map.get(kind) ?? [];
      list.push(rule);
      map.set(kind, list);
    }
  }
  return map;
}

const LOWER: Record<Severity, Severity> = { error: 'warning', warning: 'info', info: 'info' };

/** The rule's severity (or the config's), lowered for small and empty tables when the rule scales. */
export function scaledSeverity(
  rule: Rule,
  table: ReturnType<SchemaState['table']>,
  config: ResolvedConfig,
): Severity {
  const setting = config.rules[rule.meta.id];
  const base: Severity = setting && setting !== 'off' ? setting : rule.meta.severity;
  if (!rule.meta.scalesWithSize || !table) return base;
  const rows = table.stats.rowEstimate ?? Math.round(table.stats.tableBytes / 100);
  if (rows === 0 && table.stats.tableBytes <= 8192) return 'info';
  return rows < config.largeTableRows ? LOWER[base] : base;
}

function factContext(
  state: SchemaState,
  input: RunInput,
  droppedViews: ReadonlySet<string>,
  catalog: RelationCatalog,
): FactContext {
  const views = () => (input.snapshot?.views ?? []).filter((v) => !droppedViews.has(`${v.schema}.${v.name}`));
  const lookups = relationLookups(state, views);
  return {
    major: input.major,
    table: (name) => state.table(name),
    tableOfIndex: (index) => state.tableOfIndex(index),
    // Facts ask whether rows exist to be scanned: a new table that was filled has them.
    isNew: (name) => state.isNewAndEmpty(name),
    volatility: (fn) => input.volatility?.(fn),
    timeZoneIsUtc: input.config.timeZoneIsUtc === true,
    ...lookups,
    // A view an earlier deploy unit made exists (and may be in use) by now, like its tables.
    relationExists: (name) => (catalog.viewFromEarlierUnit(name) ? true : lookups.relationExists(name)),
  };
}

/** One statement's view of the rest of its file (RuleContext's laterChanges, laterOfKind, …). */
interface LookAhead {
  all: RuleContext['laterChanges'];
  ofKind: RuleContext['laterOfKind'];
  onTable: RuleContext['laterOnTable'];
  some: RuleContext['anyLater'];
}

function ruleContext(
  change: Change,
  facts: ChangeFacts,
  statementChanges: readonly Change[],
  statement: ParsedStatement,
  transaction: TransactionContext,
  session: SessionSettings,
  state: SchemaState,
  input: RunInput,
  q: Quoter,
  sql: SafeSql | null,
  migration: { later: LookAhead; droppedViews: ReadonlySet<string>; catalog: RelationCatalog },
): RuleContext {
  return {
    change,
    facts,
    statement,
    statementChanges,
    transaction,
    session: { ...session },
    major: input.major,
    table: (name) => state.table(name),
    isNew: (name) => state.isNew(name),
    schemaKnown: state.known,
    relationKind: (name) => migration.catalog.kind(name),
    indexExists: (name) => migration.catalog.indexExists(name),
    viewsUsing: (table, column) =>
      viewsUsing(input.snapshot, table, column).filter((v) => !migration.droppedViews.has(v)),
    hasIndexOn: (table, columns) => hasIndexOn(state, table, columns),
    laterChanges: migration.later.all,
    laterOfKind: migration.later.ofKind,
    laterOnTable: migration.later.onTable,
    anyLater: migration.later.some,
    columnsOfType: (type) => columnsOfType(input.snapshot, state, type, q),
    largeTableRows: input.config.largeTableRows,
    q,
    sql,
  };
}

function viewsUsing(snapshot: SchemaSnapshot | null, table: string, column?: string): string[] {
  return (snapshot?.views ?? [])
    .filter((v) =>
      v.dependsOn.some(
        (d) =>
          d.relation === table &&
          (column === undefined || d.columns.includes(column) || d.columns.length === 0),
      ),
    )
    .map((v) => `${v.schema}.${v.name}`);
}

/** Catalog types print as `order_status`, `billing.status`, `"Mood"[]`: compare without quotes and array brackets. */
function columnsOfType(
  snapshot: SchemaSnapshot | null,
  state: SchemaState,
  type: string,
  q: Quoter,
): string[] {
  // The qualified name, or the bare one when the type lives in the default schema (as format_type prints it).
  const wanted = new Set([type, q.table(type).replace(/"/g, '')]);
  const out: string[] = [];
  for (const t of snapshot?.tables ?? []) {
    const current = state.table(`${t.schema}.${t.name}`);
    for (const c of current?.columns ?? []) {
      const base = c.type.replace(/(\[\])+$/, '').replace(/"/g, '');
      if (wanted.has(base)) out.push(`${t.schema}.${t.name}.${c.name}`);
    }
  }
  return out;
}

function hasIndexOn(state: SchemaState, table: string, columns: readonly string[]): boolean {
  const t = state.table(table);
  if (!t) return false;
  const wanted = new Set(columns);
  return t.indexes.some(
    (i) =>
      i.valid &&
      i.predicate === null &&
      i.columns.length >= columns.length &&
      i.columns.slice(0, columns.length).every((c) => wanted.has(c)),
  );
}

function mergeLock(locks: LockFact[], l: LockFact): void {
  const existing = locks.find((x) => x.table === l.table);
  if (!existing) locks.push({ ...l });
  else if (lockStrength(l.mode) > lockStrength(existing.mode)) existing.mode = l.mode;
}

function applySession(session: SessionSettings, change: Change): void {
  if (change.kind === 'set timeout') {
    if (change.setting === 'lock_timeout') session.lockTimeoutMs = change.ms;
    if (change.setting === 'statement_timeout') session.statementTimeoutMs = change.ms;
  }
  if (change.kind === 'set' && change.value === 'DEFAULT') {
    if (change.name === 'lock_timeout') session.lockTimeoutMs = null;
    if (change.name === 'statement_timeout') session.statementTimeoutMs = null;
  }
}

/** Tracks BEGIN/COMMIT, the runner's transaction, and what is held inside the current one. */
class TransactionTracker {
  active = false;
  id = 0;
  private startedBy: TransactionContext['startedBy'] = null;
  private held: LockFact[] = [];
  private notValid = new Set<string>();
  private ddl = false;

  begin(by: 'runner' | 'implicit' | 'begin', id: number): void {
    this.active = true;
    this.startedBy = by;
    this.id = id;
    this.held = [];
    this.notValid = new Set();
    this.ddl = false;
  }

  /** An explicit BEGIN: starts a transaction unless one is open (then it only warns in PostgreSQL). */
  explicitBegin(id: number): void {
    if (!this.active) this.begin('begin', id);
  }

  context(alreadyOpen: boolean): TransactionContext {
    return {
      alreadyOpen,
      inTransaction: this.active,
      startedBy: this.active ? this.startedBy : null,
      heldLocks: this.held.map((l) => ({ ...l })),
      notValidThisTransaction: new Set(this.notValid),
      ddlThisTransaction: this.ddl,
    };
  }

  afterChange(change: Change, facts: ChangeFacts): void {
    if (change.kind === 'transaction') {
      if (change.action === 'commit' || change.action === 'rollback') this.active = false;
      return;
    }
    if (!this.active) return;
    for (const l of facts.locks) mergeLock(this.held, l);
    if (
      change.kind !== 'dml' &&
      change.kind !== 'set' &&
      change.kind !== 'set timeout' &&
      change.kind !== 'select'
    )
      this.ddl = true;
    if (change.kind === 'add constraint' && 'notValid' in change.constraint && change.constraint.notValid) {
      this.notValid.add(`${change.table}.${change.constraint.name ?? ''}`);
    }
  }
}

function directiveProblems(directives: readonly IgnoreDirective[], known: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const d of directives) {
    const unknown = d.rules.filter((r) => !known.has(r));
    if (d.rules.length === 0) {
      out.push(invalidIgnore(`"${d.text}" names no rule; write schemapilot-ignore <rule-id>: <reason>`));
    }
    for (const r of unknown)
      out.push(invalidIgnore(`"${d.text}" names unknown rule "${r}"; it ignores nothing`));
    if (d.rules.length > 0 && d.reason === '')
      out.push(
        invalidIgnore(
          `"${d.text}" gives no reason; write schemapilot-ignore ${d.rules.join(', ')}: <why this is safe>`,
        ),
      );
  }
  return out;
}

function invalidIgnore(message: string): Finding {
  return { rule: 'invalid-ignore', severity: 'warning', message, safeAlternative: null };
}

function applyIgnores(findings: Finding[], directives: readonly IgnoreDirective[]): Finding[] {
  if (directives.length === 0) return findings;
  const ignored = new Set(directives.flatMap((d) => d.rules));
  return findings.filter((f) => f.rule === 'invalid-ignore' || !ignored.has(f.rule));
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
