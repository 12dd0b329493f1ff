/**
 * The validation half of a driver: what `validate` (src/validate) needs from a dialect to prove a
 * plan on a scratch database. Validate orchestrates (clone, data, trace the steps, compare with
 * the prediction, check the intent and the rollback); the dialect does the server work:
 *
 * - put a schema on an empty database (from a snapshot, from the server's own dump tool, or by
 *   replaying migration files) and run migration files exactly as written;
 * - run one plan step while observing what each statement locks and rewrites;
 * - fill a database with rows: made up, consistent with the constraints, or sampled from the
 *   live database (the user's opt-in).
 *
 * Everything here runs on scratch databases, except `readNullFractions` and the source side of
 * `copySample`, which only read the live database in read-only sessions.
 */
import type { MigrationFile } from '../migration.js';
import type { OnlineAlgorithm } from '../analysis.js';
import type { LockMode } from '../locks.js';
import type { PlanStep } from '../plan.js';
import type { SchemaSnapshot } from '../snapshot.js';
import type { Session } from './driver.js';

// ---------------------------------------------------------------------------------------------
// Schemas

/**
 * Where a scratch database's schema comes from. `pg-dump` (the name predates other dialects) is
 * the dialect's own schema dump of the live database (pg_dump for PostgreSQL); when the dump is
 * unavailable or does not load, the snapshot is cloned instead.
 */
export type SchemaSource =
  | { kind: 'snapshot'; snapshot: SchemaSnapshot }
  | { kind: 'pg-dump'; url: string; snapshot: SchemaSnapshot }
  | { kind: 'migrations'; files: readonly MigrationFile[] };

export interface LoadReport {
  /** How the schema got there: `snapshot`, `pg_dump 15.4`, `3 migration files`. */
  method: string;
  /** Objects that could not be recreated (an extension the scratch server lacks, …). */
  warnings: string[];
}

/** The first statement of a migration as written that the server refused. */
export interface AsWrittenFailure {
  file: string;
  line: number;
  sql: string;
  message: string;
  sqlstate: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Traces

export type RelationKind =
  | 'table'
  | 'partitioned table'
  | 'view'
  | 'materialized view'
  | 'foreign table'
  | 'index'
  | 'partitioned index'
  | 'sequence'
  | 'other';

export interface TracedLock {
  /** `schema.name`, unquoted; the name before the statement when it renamed or dropped the relation. */
  relation: string;
  kind: RelationKind;
  /** The strongest mode seen, granted or waited for. */
  mode: LockMode;
  /** False when that mode was seen waiting and never seen granted. */
  granted: boolean;
  /** False for a relation the statement itself created. */
  existedBefore: boolean;
}

export interface IndexRef {
  index: string;
  table: string;
}

export interface TableScans {
  table: string;
  /** Heap scans started (sequential scans, index builds, validation, the read side of a rewrite). */
  seqScans: number;
  /** Scans through any index of the table. */
  indexScans: number;
  /** Buffer requests on the table's heap (hits and reads). */
  blocksFetched: number;
}

/**
 * How a MySQL/MariaDB ALTER ran, measured (the counterpart of the predicted OnlineDdl facts):
 * the algorithm derived from the server's evidence, whether the table was rebuilt, and whether
 * a writer (reader) on another session waited for most of the statement.
 */
export interface ObservedOnlineDdl {
  /** Null when the evidence cannot tell (an empty table rebuilt, a table not in InnoDB). */
  algorithm: OnlineAlgorithm | null;
  /** Null: not measurable. */
  rebuilt: boolean | null;
  /** Null: not measurable (a statement shorter than a wait worth the name, a probe that failed). */
  blocksWrites: boolean | null;
  /** Null: as blocksWrites, or no reader was run. */
  blocksReads: boolean | null;
  /** The longest wait of the writer probe while the statement ran, in ms. */
  writerWaitMs: number;
  /** Why that algorithm, in one line ("new InnoDB table id, 0 rows affected"). */
  evidence: string;
}

/** What one statement did on the server, measured (not predicted). */
export interface StatementTrace {
  sql: string;
  /** Ran inside a transaction block (BEGIN … ROLLBACK/COMMIT), or on its own with blockers. */
  inTransaction: boolean;
  locks: TracedLock[];
  /** Tables and materialized views that existed before and have new files with data in them. */
  rewrittenTables: string[];
  /** Tables that had data and now have new, empty files (TRUNCATE). */
  emptiedTables: string[];
  /** Indexes that existed before (by oid or by name) and have new files. */
  rebuiltIndexes: IndexRef[];
  /** Indexes with storage the statement created (an index of a partitioned table has none). */
  createdIndexes: IndexRef[];
  /** Per pre-existing table whose counters moved; null when not measurable (outside a transaction). */
  scans: TableScans[] | null;
  /** Blockers released after the statement was seen waiting (blocked mode; 0 in a transaction). */
  waits: number;
  /**
   * Open-transaction mode: locks the transaction already held before the statement, at that
   * mode or stronger. `locks` then lists only what the statement added; a relation here may
   * have been locked by the statement too, invisibly (a lock is held until the transaction ends).
   */
  heldBefore?: TracedLock[];
  /** MySQL/MariaDB DDL: the algorithm that ran and the traffic it blocked. */
  online?: ObservedOnlineDdl;
}

export interface StepTraceOptions {
  /** The database the session is on, for the extra sessions a trace may open (blockers, a monitor). */
  url: string;
  /**
   * Tables (`schema.name`, existing before the migration) the engine predicts the step's
   * statement number `index` locks, in the order `traceStep` runs them (settings included). A
   * statement that cannot run in a transaction is made to wait on open writers of these tables,
   * so that its locks are seen before it finishes.
   */
  lockedTables(index: number): readonly string[];
}

export interface TracedStatement {
  sql: string;
  durationMs: number;
  /** Null for a session setting (the step's timeouts), which is run, not traced. */
  trace: StatementTrace | null;
}

export interface StepTrace {
  /** The statements that ran, in order, up to the one that failed (excluded). */
  statements: TracedStatement[];
  /** The failure, its transaction (a transactional step's) rolled back. */
  error?: { message: string; sqlstate?: string };
}

// ---------------------------------------------------------------------------------------------
// Data

export interface TableDataReport {
  /** `schema.name`, unquoted (also used for refreshed materialized views). */
  table: string;
  /** Rows the table holds afterwards (for a partition: rows routed to it through its parent). */
  rows: number;
  /** Set when the table got no rows: why (for a failed insert, its SQLSTATE and message). */
  skipped?: string;
}

/**
 * The real NULL share (0..1) of a column of the target, `table` being `schema.name` (unquoted);
 * undefined when it is not known (no statistics).
 */
export type NullFraction = (table: string, column: string) => number | undefined;

export interface SynthesizeOptions {
  /** Follow the target's NULL share per column (see `readNullFractions`); unknown: one row of five. */
  nullFraction?: NullFraction;
}

// ---------------------------------------------------------------------------------------------
// The contract

export interface ValidationDriver {
  /** Put `source` on the empty database of `session`; objects that cannot be recreated are warnings. */
  loadSchema(session: Session, source: SchemaSource): Promise<LoadReport>;
  /**
   * Run migration files statement by statement as a runner would (a file marked `transaction`
   * in one transaction). The first failure, its transaction rolled back; null when all ran.
   */
  runAsWritten(session: Session, files: readonly MigrationFile[]): Promise<AsWrittenFailure | null>;
  /**
   * Run a step's statements as deploy runs them (its timeouts, its transaction or none), tracing
   * each. Checks are not run here (validate runs them through the step runner). Never throws for
   * a statement's failure: it is returned, with the statements that ran before it.
   */
  traceStep(session: Session, step: PlanStep, options: StepTraceOptions): Promise<StepTrace>;
  /**
   * A scratch database's snapshot as the target's, so that copies compare equal and messages
   * name the user's tables: where a database is a schema (MySQL), each scratch copy names its
   * tables after itself. Absent: snapshots are compared as they are.
   */
  comparable?(snapshot: SchemaSnapshot): SchemaSnapshot;
  /**
   * Problems the database reports about itself, one line each (SQLite: PRAGMA integrity_check
   * and foreign_key_check); validate runs it after the plan and after its rollback and makes
   * each an error. Absent: nothing to ask.
   */
  checkIntegrity?(session: Session): Promise<string[]>;
  /** The live database's NULL share per column, from its statistics; read only. */
  readNullFractions(session: Session): Promise<NullFraction>;
  /** `rowsPerTable` made-up rows per table of `snapshot`, consistent with its constraints. */
  synthesizeRows(
    session: Session,
    snapshot: SchemaSnapshot,
    rowsPerTable: number,
    options?: SynthesizeOptions,
  ): Promise<TableDataReport[]>;
  /**
   * Up to `rowsPerTable` real rows per table from `source` (only read) into `target`, then the
   * target's planner statistics refreshed.
   */
  copySample(
    source: Session,
    target: Session,
    snapshot: SchemaSnapshot,
    rowsPerTable: number,
  ): Promise<TableDataReport[]>;
}

/**
 * A ValidationDriver whose implementation (and the database client under it) loads on first
 * use: every dialect's index.ts hands out one, so that commands which never validate do not
 * load it. `comparable` runs without a session and is given as is; `checksIntegrity` says the
 * loaded driver has checkIntegrity (validate asks only a driver that has it).
 */
export function lazyValidation(
  load: () => Promise<ValidationDriver>,
  own: { comparable?: ValidationDriver['comparable']; checksIntegrity?: boolean } = {},
): ValidationDriver {
  const driver: ValidationDriver = {
    loadSchema: async (session, source) => (await load()).loadSchema(session, source),
    runAsWritten: async (session, files) => (await load()).runAsWritten(session, files),
    traceStep: async (session, step, options) => (await load()).traceStep(session, step, options),
    readNullFractions: async (session) => (await load()).readNullFractions(session),
    synthesizeRows: async (session, snapshot, rows, options) =>
      (await load()).synthesizeRows(session, snapshot, rows, options),
    copySample: async (source, target, snapshot, rows) =>
      (await load()).copySample(source, target, snapshot, rows),
  };
  if (own.comparable) driver.comparable = own.comparable;
  if (own.checksIntegrity)
    driver.checkIntegrity = async (session) => (await load()).checkIntegrity?.(session) ?? [];
  return driver;
}
