/**
 * Plan: a risky migration rewritten as ordered, individually safe steps, each with its lock,
 * timeouts, retry policy, rollback and checks. Plain JSON: saved with `plan --out plan.json`,
 * reviewed in a pull request, validated on a scratch database, deployed later (deploy refuses
 * it when the live schema's hash differs from `sourceSchemaHash`).
 */
import type { LockMode } from './locks.js';
import type { DialectName } from './snapshot.js';

/**
 * Expand/contract phases: `expand` adds what the new code needs without breaking the old code,
 * `backfill` fills data in batches, `validate` proves and enforces constraints, `contract`
 * removes what only the old code used (deploy it after every service runs the new code).
 */
export type PlanPhase = 'expand' | 'backfill' | 'validate' | 'contract';

/** SQL that must return a single true for the step to go ahead (pre) or to count as done (post). */
export interface PlanCheck {
  description: string;
  sql: string;
}

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  maxAttempts: number;
  /** First wait; doubled each time, with jitter, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /**
   * Server error codes worth retrying, as the dialect's `errors.code` gives them: PostgreSQL
   * SQLSTATEs (55P03 lock_not_available, 40P01 deadlock), MySQL error numbers (1205 lock wait
   * timeout, 1213 deadlock).
   */
  retryOn: string[];
}

/** A backfill the executor runs in keyset batches; `sql` shows one batch. */
export interface BackfillSpec {
  table: string;
  /** Primary key columns used for keyset pagination (ordered). */
  keyColumns: string[];
  /** `SET` list: column → SQL expression over the row. */
  set: { column: string; expression: string }[];
  /** Rows still to do (keeps a rerun from redoing finished batches). */
  remaining: string;
  batchSize: number;
  pauseMs: number;
  /**
   * Rows the table held when the plan was made (the snapshot's estimate, or the size assumed
   * without one). A migration file that cannot loop (MySQL has no loops outside stored
   * programs) repeats the batch for this many rows, then checks that none is left.
   */
  estimatedRows?: number;
}

/** The online schema change tools a MySQL/MariaDB plan step may run instead of an ALTER. */
export const SCHEMA_CHANGE_TOOLS = ['pt-online-schema-change', 'gh-ost'] as const;
export type SchemaChangeTool = (typeof SCHEMA_CHANGE_TOOLS)[number];

/**
 * A step done by an online schema change tool instead of by SQL (docs/decisions/0025-mysql-plans.md):
 * the tool copies the table into a new one with the change made, in chunks, keeping it in step
 * with writes (pt-online-schema-change: triggers; gh-ost: the binary log), and swaps the two
 * with an atomic RENAME TABLE. The step's `sql` is the ALTER TABLE the tool performs, so the
 * engine knows what the step changes; `rollback` undoes it like any step's.
 */
export interface ToolRun {
  name: SchemaChangeTool;
  /**
   * The database of the table, as the step's SQL names it: null for the one the deploy connects
   * to (the plan's default schema), so a plan made on one database runs on its twin.
   */
  database: string | null;
  /** The table it alters, without its database. */
  table: string;
  /** The ALTER TABLE clauses, without `ALTER TABLE <table>` (what `--alter` receives). */
  alter: string;
  /**
   * Every other argument: throttling, chunking, cut-over. Never a connection detail or a
   * password: whoever runs the tool adds those from the deploy's target (a defaults file).
   */
  args: string[];
}

export interface PlanStep {
  /** Stable id: `<phase>-<n>`. */
  id: string;
  phase: PlanPhase;
  /** What the step does and why it is safe, one sentence. */
  description: string;
  /** The source statement kept exactly as written (it was safe); false for rewritten steps. */
  asWritten: boolean;
  /** Statements, executed in order (inside one transaction when `transactional`). */
  sql: string[];
  transactional: boolean;
  /** Strongest lock the step takes on an existing table, or null. */
  lock: { table: string; mode: LockMode } | null;
  /** Expected duration from table sizes and the throughput model, ms. */
  estimatedMs: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  retry: RetryPolicy;
  /** SQL that undoes this step (run in reverse step order); empty when nothing to undo. */
  rollback: string[];
  /**
   * Per statement of `sql`, the SQL that undoes that statement alone (same length as `sql`).
   * A step outside a transaction on a server without transactional DDL (MySQL) can fail half
   * way: deploy then undoes only the statements that ran, last first. Absent: `rollback` is
   * the only undo, of the whole step.
   */
  statementRollback?: string[][];
  /** False when the step cannot be undone (data is gone): rollback is best effort or impossible. */
  reversible: boolean;
  /** The step deletes data (drops a column or table without an archive). */
  destroysData: boolean;
  preChecks: PlanCheck[];
  postChecks: PlanCheck[];
  backfill?: BackfillSpec;
  /** Done by an online schema change tool, not by running `sql` (MySQL/MariaDB). */
  tool?: ToolRun;
  /** Index of the source statement the step comes from. */
  source: number;
}

export interface PlanOptions {
  batchSize: number;
  batchPauseMs: number;
  lockTimeoutMs: number;
  /** Per-statement ceiling for ordinary steps; index builds and validations get `longStatementTimeoutMs`. */
  statementTimeoutMs: number;
  longStatementTimeoutMs: number;
  /** Keep dropped columns and tables in the `schemapilot_archive` schema so a rollback can restore data. */
  archive: boolean;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  batchSize: 5000,
  batchPauseMs: 100,
  lockTimeoutMs: 2000,
  statementTimeoutMs: 30_000,
  longStatementTimeoutMs: 0,
  archive: false,
};

export interface PlanSource {
  file: string;
  line: number;
  sql: string;
}

export interface Plan {
  formatVersion: 1;
  dialect: DialectName;
  /** The dialect's fact key: the PostgreSQL major (15); MySQL/MariaDB a whole version (80029, 101106). */
  serverMajor: number;
  /** Hash of the schema the plan was made for (`inspect`), or null when planned without one. */
  sourceSchemaHash: string | null;
  options: PlanOptions;
  sources: PlanSource[];
  steps: PlanStep[];
  /** 1 = drop what was added … 5 = data is gone for good. */
  rollbackComplexity: 1 | 2 | 3 | 4 | 5;
  /** The steps in words, for the assessment's recommended_approach and PR comments. */
  recommendedApproach: string;
  /** Things the planner could not make safe, or that need a person (e.g. a value to backfill). */
  warnings: string[];
}
