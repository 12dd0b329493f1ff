/**
 * The analysis loop: parse each file, lower each statement to Changes, ask the dialect for each
 * Change's facts against the schema as it stands at that point, run the rules, apply ignores
 * and size-based severity, then apply the Change to the schema for the next statement.
 */
import { assumedSize, blockingLock, estimateChangeMs, tableSize } from '../assess/duration.js';
import type { ResolvedConfig } from '../config/types.js';
import type { AnalyzedStatement, ChangeFacts, Finding, LockFact } from '../core/analysis.js';
import type { Change } from '../core/change.js';
import { lockModelOf } from '../core/locks.js';
import { changeTable } from '../core/change.js';
import type { Engine } from '../core/dialect/language.js';
import type { SafeSql } from '../core/dialect/safe-sql.js';
import type { Volatility } from '../core/facts.js';
import type { MigrationFile, StatementDetail } from '../core/migration.js';
import type { Rule, SessionSettings } from '../core/rule.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { SchemaState } from '../schema/state.js';
import { applyIgnores, dedupe, directiveProblems, indexRules, scaledSeverity } from './findings.js';
import { parseDirectives } from './ignores.js';
import { LaterChanges } from './later.js';
import { onlineSummary } from './online.js';
import { RelationCatalog } from './relations.js';
import {
  factContext,
  ruleContext,
  ruleContextParts,
  statementFactContext,
  type LookAhead,
} from './rule-context.js';
import { applySession, mergeLock, TransactionTracker } from './transactions.js';

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
  // The rule context's lookups read the state when called: made once, shared by every Change.
  const ruleParts = ruleContextParts(state, input, engine.quote, engine.safeSql ?? null, {
    droppedViews,
    catalog,
    dialect: engine.dialect,
    referencingForeignKeys: factCtx.referencingForeignKeys,
  });
  const knownRules = new Set([...input.rules.map((r) => r.meta.id), ...ENGINE_RULE_IDS]);
  const rulesByKind = indexRules(input.rules, input.config, engine.dialect);
  const lockModel = lockModelOf(engine.dialect);
  const statements: AnalyzedStatement[] = [];
  const details: StatementDetail[] = [];
  let nextTransactionId = 1;

  let previous: TransactionTracker | null = null;
  let previousUnit: string | null = null;
  for (const file of input.files) {
    const parsed = engine.parse(file.sql, file.path);
    const fileDirectives = parseDirectives(parsed.comments).filter((d) => d.scope === 'file');
    const continues = file.continuesTransaction === true && previous !== null && previous.active;
    const tx: TransactionTracker =
      continues && previous
        ? previous
        : new TransactionTracker(lockModel, engine.ddlCommitsTransaction === true);
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
    // `variables`: SET name = value of this file, for rules and for facts that depend on one
    // (foreign_key_checks on MySQL).
    const session: SessionSettings = {
      lockTimeoutMs: null,
      statementTimeoutMs: null,
      variables: engine.settingsOf?.(input.snapshot) ?? {},
    };
    const sessionVariable = (name: string) => session.variables[name.toLowerCase()];
    const implicit = file.transaction === 'implicit' && parsed.statements.length > 1;
    if (!continues && (file.transaction === 'transaction' || implicit)) {
      tx.begin(file.transaction === 'transaction' ? 'runner' : 'implicit', nextTransactionId++);
    }

    // The rest of the file as seen from the statement being checked (`at`): one set of
    // functions per file, since rules call them only while the statement is checked.
    let at = 0;
    // Built only when a rule asks: most statements never need it.
    let laterChanges: readonly Change[] | undefined;
    const lookAhead: LookAhead = {
      all: () => (laterChanges ??= later.all(at)),
      ofKind: (kind) => later.ofKind(at, kind),
      onTable: (table) => later.onTable(at, table),
      some: (test) => later.some(at, test),
    };

    parsed.statements.forEach((statement, index) => {
      const changes = lowered[index] ?? [];
      at = index;
      laterChanges = undefined;
      const statementDirectives =
        statement.leadingComments.length === 0
          ? []
          : parseDirectives(statement.leadingComments).filter((d) => d.scope === 'statement');
      const directives =
        fileDirectives.length === 0 ? statementDirectives : [...fileDirectives, ...statementDirectives];
      const findings: Finding[] = [];
      if (index === 0) findings.push(...directiveProblems(fileDirectives, knownRules));
      if (statementDirectives.length > 0)
        findings.push(...directiveProblems(statementDirectives, knownRules));

      tx.beforeStatement(changes);
      const alreadyOpen = tx.active;
      for (const change of changes)
        if (change.kind === 'transaction' && change.action === 'begin') tx.explicitBegin(nextTransactionId++);
      const inTransaction = tx.active && !changes.every((c) => c.kind === 'transaction');
      const transactionId = tx.active ? tx.id : null;

      const allFacts: ChangeFacts[] = [];
      const locks: LockFact[] = [];
      let estimatedLockMs = 0;
      let durationMs = 0;
      // Few per statement: an array with includes, not a Set.
      const existingTables: string[] = [];
      const statementCtx = statementFactContext(factCtx, changes, sessionVariable);
      for (const change of changes) {
        const facts = engine.facts.changeFacts(change, statementCtx);
        allFacts.push(facts);
        for (const l of facts.locks) {
          if (!state.isNew(l.table) && !existingTables.includes(l.table)) existingTables.push(l.table);
          mergeLock(locks, l, lockModel);
        }
        const target = changeTable(change);
        const table = target ? state.table(target) : undefined;
        const fresh = target !== null && state.isNewAndEmpty(target);
        noteNewness(newTableNotes, state, { change, facts, target, fillSites });
        const ms =
          fresh || change.kind === 'transaction'
            ? 0
            : estimateChangeMs(
                facts,
                tableSize(table, input.config.largeTableRows),
                table?.indexes.length ?? 1,
              );
        durationMs += ms;
        // A lock on a table created in this deploy unit blocks nobody: nobody else uses it yet.
        const onExisting = facts.locks.filter((l) => !state.isNew(l.table));
        if (blockingLock({ locks: onExisting }, lockModel) !== null) estimatedLockMs += ms;

        const ctx = ruleContext(
          change,
          facts,
          changes,
          allFacts,
          statement,
          tx.context(alreadyOpen),
          session,
          lookAhead,
          ruleParts,
        );
        for (const rule of rulesByKind.get(change.kind) ?? []) {
          // Reported in this file already: its check (which may look at the whole rest of the
          // file) is not run again for every statement.
          if (rule.meta.oncePerFile && reportedOnce.has(rule.meta.id)) continue;
          // Read by index: no iterator per rule and Change.
          const drafts = rule.check(ctx);
          for (let d = 0; d < drafts.length; d++) {
            const draft = drafts[d];
            if (draft === undefined) continue;
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
        // A setting the server ignores inside a transaction (SQLite's PRAGMA foreign_keys)
        // leaves the session as it was: later facts and rules see the value really in force.
        if (!(facts.ignoredInTransaction === true && tx.active)) applySession(session, change);
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
        ...onlineSummary(allFacts),
      });
      details.push({ facts: allFacts, transactionId, durationMs, existingTables });
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
  // A table named twice is noted once: the second look finds it noted already.
  if (at.target) noteTable(notes, state, at.target, at.fillSites);
  for (const l of at.facts.locks) noteTable(notes, state, l.table, at.fillSites);
}

function noteTable(
  notes: NewTableNotes,
  state: SchemaState,
  table: string,
  fillSites: ReadonlyMap<string, string>,
): void {
  const earlier = state.createdEarlier(table);
  if (earlier && !notes.createdEarlier.has(table)) notes.createdEarlier.set(table, earlier.createdIn);
  const filledAt = state.isFilled(table) ? fillSites.get(table) : undefined;
  if (filledAt && !notes.filled.has(table)) notes.filled.set(table, filledAt);
}
