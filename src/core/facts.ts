/**
 * What a dialect must answer about a Change so that rules, assessment and the planner can
 * stay dialect-free: the locks it takes, whether it rewrites or scans, whether it may run in a
 * transaction. Implemented per dialect (dialects/postgres/facts.ts) and verified against real
 * servers by test/facts.
 */
import type { ChangeFacts } from './analysis.js';
import type { Change } from './change.js';
import type { Table } from './snapshot.js';

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
}

export interface DialectFacts {
  changeFacts(change: Change, ctx: FactContext): ChangeFacts;
}
