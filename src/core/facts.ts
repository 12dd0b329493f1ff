/**
 * What a dialect must answer about a Change so that rules, assessment and the planner can
 * stay dialect-free: the locks it takes, whether it rewrites or scans, whether it may run in a
 * transaction. Implemented per dialect (dialects/postgres/facts.ts) and verified against real
 * servers by test/facts.
 */
import type { ChangeFacts } from './analysis.js';
import type { Change } from './change.js';
import type { ForeignKey, Table } from './snapshot.js';

export type Volatility = 'immutable' | 'stable' | 'volatile';

export interface FactContext {
  /** Server major version (10, 11, … 18). */
  major: number;
  /** The table as it is just before this statement (after earlier statements of the migration). */
  table(name: string): Table | undefined;
  /** The table that owns an index, when known. */
  tableOfIndex(index: string): string | undefined;
  /** Created earlier in this migration: no one else can be using it yet. */
  isNew(table: string): boolean;
  /** Volatility of a function by (possibly qualified) name, when the database told us. */
  volatility(fn: string): Volatility | undefined;
  /** The session's TimeZone is UTC (timestamp ↔ timestamptz changes then need no rewrite on 12+). */
  timeZoneIsUtc: boolean;
  /*
   * Relatives a statement reaches without naming them: PostgreSQL locks them too (ALTER TABLE
   * on a partitioned table recurses, TRUNCATE … CASCADE follows foreign keys, DROP … CASCADE
   * drops views). Each answers for the schema just before this statement; unknown names give [].
   */
  /** Direct partitions of a partitioned table (qualified), sorted. */
  partitions(table: string): string[];
  /** The default partition of a partitioned table, if it has one. */
  defaultPartition(table: string): string | undefined;
  /** Foreign keys of any table (itself included) that reference this table. */
  referencingForeignKeys(table: string): { table: string; foreignKey: ForeignKey }[];
  /** Views and materialized views that read the relation (given a column: that column) directly, sorted. */
  dependentViews(relation: string, column?: string): string[];
  /** Relations a view or materialized view reads directly, sorted; [] when unknown. */
  viewSources(view: string): string[];
  /**
   * Whether a table or view exists just before this statement (created earlier in the migration
   * included: isNew tells those apart); undefined when no schema was given. CREATE OR REPLACE
   * VIEW of a view that does not exist yet locks nothing.
   */
  relationExists(name: string): boolean | undefined;
  /**
   * Every Change of the statement this Change comes from, itself included, when the caller
   * knows them. MySQL/MariaDB run one ALTER TABLE as one operation: an instant ADD COLUMN
   * written beside an index build is done by rebuilding the table.
   */
  statementChanges?: readonly Change[];
  /**
   * A session variable as the migration SET it earlier in its file (`SET foreign_key_checks =
   * 0`), by lower-case name, value as written; undefined when the file did not set it.
   */
  sessionVariable?(name: string): string | undefined;
}

export interface DialectFacts {
  changeFacts(change: Change, ctx: FactContext): ChangeFacts;
}
