/** What the analysis loop hands each fact question and each rule: the schema as it stands, look-ahead, relatives. */
import type { ChangeFacts, ParsedStatement } from '../core/analysis.js';
import type { Change } from '../core/change.js';
import type { SafeSql } from '../core/dialect/safe-sql.js';
import type { FactContext } from '../core/facts.js';
import type { Quoter, RuleContext, SessionSettings, TransactionContext } from '../core/rule.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { relationLookups } from '../schema/relations.js';
import type { SchemaState } from '../schema/state.js';
import type { RelationCatalog } from './relations.js';
import type { RunInput } from './run.js';

export function factContext(
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

/**
 * The fact context of one statement: the run's, with the statement's Changes and session. One
 * per statement (MySQL's facts keep what each clause was asked, by statement context). Written
 * out rather than spread from `base`: the spread was the loop's costliest line.
 */
export function statementFactContext(
  base: FactContext,
  statementChanges: readonly Change[],
  sessionVariable: (name: string) => string | undefined,
): FactContext {
  return {
    major: base.major,
    table: base.table,
    tableOfIndex: base.tableOfIndex,
    isNew: base.isNew,
    volatility: base.volatility,
    timeZoneIsUtc: base.timeZoneIsUtc,
    partitions: base.partitions,
    defaultPartition: base.defaultPartition,
    referencingForeignKeys: base.referencingForeignKeys,
    dependentViews: base.dependentViews,
    viewSources: base.viewSources,
    relationExists: base.relationExists,
    statementChanges,
    sessionVariable,
  };
}

/** One statement's view of the rest of its file (RuleContext's laterChanges, laterOfKind, …). */
export interface LookAhead {
  all: RuleContext['laterChanges'];
  ofKind: RuleContext['laterOfKind'];
  onTable: RuleContext['laterOnTable'];
  some: RuleContext['anyLater'];
}

/**
 * The parts of a rule context that do not depend on the Change: the dialect, the quoter, and
 * lookups that read the schema as it stands when called. Made once per run, so that a Change's
 * context allocates no closures of its own.
 */
export type RuleContextParts = Pick<
  RuleContext,
  | 'dialect'
  | 'major'
  | 'table'
  | 'isNew'
  | 'schemaKnown'
  | 'relationKind'
  | 'indexExists'
  | 'viewsUsing'
  | 'hasIndexOn'
  | 'referencingForeignKeys'
  | 'columnsOfType'
  | 'largeTableRows'
  | 'q'
  | 'sql'
>;

export function ruleContextParts(
  state: SchemaState,
  input: RunInput,
  q: Quoter,
  sql: SafeSql | null,
  migration: {
    droppedViews: ReadonlySet<string>;
    catalog: RelationCatalog;
    dialect: string;
    referencingForeignKeys: FactContext['referencingForeignKeys'];
  },
): RuleContextParts {
  return {
    dialect: migration.dialect,
    major: input.major,
    table: (name) => state.table(name),
    isNew: (name) => state.isNew(name),
    schemaKnown: state.known,
    relationKind: (name) => migration.catalog.kind(name),
    indexExists: (name) => migration.catalog.indexExists(name),
    viewsUsing: (table, column) =>
      viewsUsing(input.snapshot, table, column).filter((v) => !migration.droppedViews.has(v)),
    hasIndexOn: (table, columns) => hasIndexOn(state, table, columns),
    referencingForeignKeys: (table) => migration.referencingForeignKeys(table),
    columnsOfType: (type) => columnsOfType(input.snapshot, state, type, q),
    largeTableRows: input.config.largeTableRows,
    q,
    sql,
  };
}

export function ruleContext(
  change: Change,
  facts: ChangeFacts,
  statementChanges: readonly Change[],
  statementFacts: readonly ChangeFacts[],
  statement: ParsedStatement,
  transaction: TransactionContext,
  session: SessionSettings,
  later: LookAhead,
  parts: RuleContextParts,
): RuleContext {
  return {
    dialect: parts.dialect,
    change,
    facts,
    statement,
    statementChanges,
    statementFacts: [...statementFacts],
    transaction,
    session: { ...session },
    major: parts.major,
    table: parts.table,
    isNew: parts.isNew,
    schemaKnown: parts.schemaKnown,
    relationKind: parts.relationKind,
    indexExists: parts.indexExists,
    viewsUsing: parts.viewsUsing,
    hasIndexOn: parts.hasIndexOn,
    referencingForeignKeys: parts.referencingForeignKeys,
    laterChanges: later.all,
    laterOfKind: later.ofKind,
    laterOnTable: later.onTable,
    anyLater: later.some,
    columnsOfType: parts.columnsOfType,
    largeTableRows: parts.largeTableRows,
    q: parts.q,
    sql: parts.sql,
  };
}

export function viewsUsing(snapshot: SchemaSnapshot | null, table: string, column?: string): string[] {
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
export function columnsOfType(
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

export function hasIndexOn(state: SchemaState, table: string, columns: readonly string[]): boolean {
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
