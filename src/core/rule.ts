/**
 * A rule: `{ meta, check }`. `check` runs once per Change of the kinds it names and returns
 * findings; it does no I/O. Everything it may need is on the context: the Change, its facts,
 * the statement and its transaction, the schema as it stands before the statement, sizes,
 * config. File name = rule id (src/rules/<id>.ts); docs page docs/rules/<id>.md.
 */
import type { ChangeFacts, LockFact, ParsedStatement, Severity } from './analysis.js';
import type { Change, ChangeKind, ChangeOf } from './change.js';
import type { SafeSql } from './dialect/safe-sql.js';
import type { ForeignKey, Table } from './snapshot.js';

export type RuleCategory = 'locking' | 'transactions' | 'breaking' | 'hygiene';

export interface RuleMeta {
  id: string;
  category: RuleCategory;
  /** Severity when the table is large or its size unknown. */
  severity: Severity;
  /** One line for listings and SARIF. */
  description: string;
  /** Change kinds the rule looks at; the runner calls it for those only. */
  kinds: readonly ChangeKind[];
  /**
   * Lower the severity one step (error → warning → info) when the table is known to hold
   * fewer than `largeTableRows` rows; to info when it is empty. Locking rules scale; breaking
   * changes do not (a dropped column breaks callers whatever the size).
   */
  scalesWithSize: boolean;
  /**
   * Findings on tables created earlier in the same deploy unit (the same file, or the files a
   * runner applies in one transaction) are dropped: nobody uses them yet.
   */
  skipNewTables: boolean;
  /**
   * The finding is about rows already in the table (the statement fails on them or changes
   * them), so it is kept for a new table once a statement of the migration filled it.
   */
  aboutExistingRows?: boolean;
  /** Report only the first finding per file (the fix is one line at the top, e.g. SET lock_timeout). */
  oncePerFile?: boolean;
  /**
   * The dialects (registry names: 'postgres') the rule is about; absent: every dialect. A rule
   * whose finding or advice rests on one server's behaviour (CONCURRENTLY, NOT VALID, its lock
   * modes) lists it, and the analysis runs the rule for those dialects only.
   */
  dialects?: readonly string[];
}

export interface FindingDraft {
  message: string;
  safeAlternative?: string | null;
  table?: string;
  /** Overrides the rule's severity for this finding (e.g. a PG-version nuance). */
  severity?: Severity;
}

/** Where the statement stands in its transaction. */
export interface TransactionContext {
  /** Inside a transaction block (runner-wrapped, explicit BEGIN, or an implicit multi-statement one). */
  inTransaction: boolean;
  /** How the current transaction began. */
  startedBy: 'runner' | 'begin' | 'implicit' | null;
  /** Locks already held in this transaction before this statement (strongest per table). */
  heldLocks: LockFact[];
  /** Constraints added NOT VALID earlier in this same transaction (`table.constraint`). */
  notValidThisTransaction: ReadonlySet<string>;
  /** DDL ran earlier in this same transaction. */
  ddlThisTransaction: boolean;
  /** A transaction was already open before this statement (so a BEGIN here opens nothing). */
  alreadyOpen: boolean;
}

export interface SessionSettings {
  /** Milliseconds, null when never set in the migration (0 = disabled). */
  lockTimeoutMs: number | null;
  statementTimeoutMs: number | null;
  /**
   * Other session variables the file set so far (`SET name = value`, name lower case, value as
   * written): MySQL's foreign_key_checks decides whether ADD FOREIGN KEY copies the table.
   */
  variables: Readonly<Record<string, string>>;
}

export interface RuleContext {
  /**
   * The dialect analysed (registry name: 'postgres', 'mysql'): a rule that holds for every
   * dialect but whose advice differs (the SQL to paste, the server's error) branches on it.
   */
  dialect: string;
  change: Change;
  facts: ChangeFacts;
  statement: ParsedStatement;
  /** All Changes of the statement (a multi-action ALTER TABLE). */
  statementChanges: readonly Change[];
  /**
   * The facts of statementChanges worked out so far, in order, through this Change's (facts
   * read the schema as the earlier Changes left it): complete at the statement's last Change,
   * where a rule about the whole statement (which algorithm MySQL runs it with) decides.
   */
  statementFacts: readonly ChangeFacts[];
  transaction: TransactionContext;
  session: SessionSettings;
  /** Server major the analysis targets. */
  major: number;
  /** Table as it stands before this statement; undefined when unknown. */
  table(name: string): Table | undefined;
  /** Created earlier in this deploy unit (same file or batched transaction): nobody uses it yet. */
  isNew(name: string): boolean;
  /** Whether the analysis has a real schema (else sizes and columns are unknown). */
  schemaKnown: boolean;
  /**
   * What a qualified name is, as the schema stands before this statement: `unknown` when the
   * analysis cannot tell (no schema, a schema that was not inspected, or an earlier statement
   * the engine does not model, such as DO or CREATE EXTENSION, that may have made anything).
   */
  relationKind(name: string): RelationKind;
  /** Whether an index (qualified name) exists before this statement; undefined when unknown. */
  indexExists(name: string): boolean | undefined;
  /** Views (qualified) that read the given column of the table (or the table, when column is omitted). */
  viewsUsing(table: string, column?: string): string[];
  /** Indexes on the table whose leading columns are exactly these (in any order). */
  hasIndexOn(table: string, columns: readonly string[]): boolean;
  /**
   * Foreign keys of any table (itself included) that reference this table, as the schema stands
   * before this statement, sorted by table: SQLite's DROP TABLE deletes their rows first.
   */
  referencingForeignKeys(table: string): { table: string; foreignKey: ForeignKey }[];
  /**
   * Changes of the statements after this one in the same file, in order: lets a rule see the
   * index created right after a foreign key, or the view created right after a rename. Copies
   * the rest of the file: a rule that fires often should use laterOfKind or anyLater.
   */
  laterChanges(): readonly Change[];
  /** The Changes of one kind among laterChanges(), without copying the rest of the file. */
  laterOfKind<K extends ChangeKind>(kind: K): readonly ChangeOf<K>[];
  /** The Changes on this table (qualified) among laterChanges(), without copying the rest of the file. */
  laterOnTable(table: string): readonly Change[];
  /** Whether any of laterChanges() passes the test; stops at the first that does. */
  anyLater(test: (change: Change) => boolean): boolean;
  /** Columns (`schema.table.column`) of existing tables whose type is this type or an array of it. */
  columnsOfType(type: string): string[];
  largeTableRows: number;
  /** Quoting for the target dialect, to write safe alternatives with the user's own names. */
  q: Quoter;
  /**
   * The target dialect's safe-SQL building blocks, the same the planner writes its steps with;
   * null when the dialect provides none (a rule for every dialect then leaves its SQL out).
   */
  sql: SafeSql | null;
}

export type RelationKind = 'table' | 'view' | 'sequence' | 'missing' | 'unknown';

export interface Quoter {
  ident(name: string): string;
  /** `schema.table` → quoted; the default schema is left out, as people write it. */
  table(qualified: string): string;
  literal(value: string): string;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): FindingDraft[];
}

/** Helper so each rule file is `export default defineRule({ … })` with types checked. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
