/**
 * The driver's deploy section: what `deploy`, `rollback` and `status` (src/deploy) need from a
 * server beyond running steps. The engine keeps the orchestration (retries, backoff, budgets,
 * the journal's hashes and checks, incidents); the dialect keeps the SQL: where the journal
 * lives, how one deploy per database is enforced, how blocked sessions are seen and our
 * statement cancelled, how a backfill batch runs, what a failed online build leaves behind, and
 * which server errors mean what.
 *
 * Also the step runner's text form and raw execution (StepRunner extends both), so that
 * migration files and deploy send the same statements.
 */
import type {
  AttemptRecord,
  DeployRecord,
  DeployStatus,
  SessionInfo,
  StepRecord,
  StepStatus,
} from '../deploy.js';
import type { BackfillSpec, Plan, PlanStep } from '../plan.js';
import type { Session } from './driver.js';

/** A step as text: what a migration file holds, and what the runner sends, statement by statement. */
export interface StepText {
  /**
   * The step's statements as the runner sends them: its timeouts, its SQL and, outside a
   * transaction, the resets of the session settings. No transaction control: the runner (or
   * the migration tool, or the writer) opens the step's transaction when it has one.
   */
  text(step: PlanStep): string[];
  /** Whether `sql` (a rollback) must run outside a transaction block (CREATE INDEX CONCURRENTLY). */
  outsideTransaction(sql: readonly string[]): boolean;
  /**
   * Every statement commits on its own, DDL included, and a string of several statements sent as
   * one query is no transaction (MySQL, MariaDB): nothing has to be alone in a migration file.
   * Absent: such a string runs as one implicit transaction (PostgreSQL).
   */
  ddlAutocommits?: true;
}

/** Where a step outside a transaction starts, and who hears of each statement that committed. */
export interface RunOptions {
  /** Skip the first `from` statements of `step.sql` (they ran before a crash). */
  from?: number;
  /**
   * For a step outside a transaction, the number of statements of `step.sql` done so far: once
   * before the first statement (`from`), then after each. A server without transactional DDL
   * commits each one as it goes, so deploy journals how far the step got; being called at all
   * says the runner counts (then a failed statement left nothing). A runner may not call it
   * (PostgreSQL's steps outside a transaction are single statements).
   */
  progress?: (done: number) => Promise<void>;
}

/** Running a step's SQL without checks or error wrapping: deploy adds its own around it. */
export interface StepExecution {
  /**
   * The step's `text`, in one transaction when the step is transactional. `beforeCommit` runs
   * inside that transaction after the SQL (outside one: after the SQL), so a journal write
   * commits with the step or not at all. Server errors come through as the server gave them.
   */
  run(
    session: Session,
    step: PlanStep,
    beforeCommit?: () => Promise<void>,
    options?: RunOptions,
  ): Promise<void>;
  /**
   * The step's rollback SQL, in one transaction unless `outsideTransaction` says otherwise,
   * with `lockTimeoutMs` as the lock wait limit when given. Server errors as they are.
   */
  undo(session: Session, step: PlanStep, options?: { lockTimeoutMs?: number }): Promise<void>;
}

/** The journal as the server returned it: unchecked (deploy checks it before trusting it). */
export interface JournalRows {
  deploy: {
    id: number;
    planHash: string;
    sourceSchemaHash: string | null;
    status: string;
    plan: unknown;
    startedAt: string;
    finishedAt: string | null;
    ranBy: string;
  };
  steps: {
    id: string;
    phase: string;
    description: string;
    checksum: string;
    status: string;
    attempts: unknown;
    backfill: unknown;
    startedAt: string | null;
    finishedAt: string | null;
    /** Statements of the step that committed (StepRecord.statementsDone); absent or null: not counted. */
    statementsDone?: unknown;
  }[];
}

export type DeploySummary = Pick<DeployRecord, 'id' | 'status' | 'startedAt' | 'finishedAt' | 'ranBy'>;

/**
 * The deploy journal on the target: one row per deploy with its plan, one per step with its
 * status, attempts and backfill progress. Left out of introspection and schema hashes.
 */
export interface JournalStore {
  /** Create it when missing (the caller holds the deploy lock). */
  ensure(session: Session): Promise<void>;
  /** Record a new running deploy and its pending steps; the ids and hashes are the engine's. */
  start(
    session: Session,
    plan: Plan,
    hashes: { planHash: string; stepChecksums: readonly string[] },
  ): Promise<{ id: number; startedAt: string; ranBy: string }>;
  /** The newest deploy (or `id`); null when there is no journal or no such deploy. */
  read(session: Session, id?: number): Promise<JournalRows | null>;
  /** The last `limit` deploys, newest first; [] without a journal. */
  list(session: Session, limit: number): Promise<DeploySummary[]>;
  /** A step's state; `session` may be inside the step's own transaction. */
  markStep(session: Session, deployId: number, position: number, record: StepRecord): Promise<void>;
  finish(session: Session, deployId: number, status: DeployStatus): Promise<void>;
  /** Append an attempt to a step (a lost connection's) and return the step's status as stored. */
  appendAttempt(
    session: Session,
    deployId: number,
    position: number,
    attempt: AttemptRecord | undefined,
  ): Promise<StepStatus | null>;
  /** A read failed because a journal table or column is missing or of another type. */
  isShapeError(error: unknown): boolean;
  /**
   * Where the journal lives (`database "schemapilot"`) and how to set a damaged one aside, for
   * the JournalDamagedError message; absent: PostgreSQL's words (schema "schemapilot").
   */
  damagedHint?: { where: string; repair: string };
}

/** One deploy or rollback per database at a time, held by the session, gone with it. */
export interface DeployLock {
  /** Take it; when another session holds it, words saying who (or null when unknown). */
  acquire(session: Session): Promise<{ acquired: true } | { acquired: false; holder: string | null }>;
  /** Let it go; never fails. */
  release(session: Session): Promise<void>;
}

/** Sessions around ours, seen from a second session (the watchdog's). */
export interface SessionProbes {
  /** Our server session's id and when it started: an id alone may be reused once it is gone. */
  identify(session: Session): Promise<{ pid: number; started: string }>;
  /** Sessions holding what `pid` waits for, and sessions waiting on `pid` (with how long). */
  sample(
    observer: Session,
    pid: number,
  ): Promise<{ blockers: SessionInfo[]; waiting: { session: SessionInfo; waitedMs: number }[] }>;
  /** Cancel `pid`'s running statement; never fails. */
  cancel(observer: Session, pid: number): Promise<void>;
  /** Whether the server is still working on `pid`'s statement (not stuck sending us its answer). */
  isWorking(observer: Session, pid: number): Promise<boolean>;
  /**
   * Once a query on `session` passes its client-side deadline, ask `keepWaiting` before giving
   * up: a long statement on a healthy connection is told from a stuck connection.
   */
  keepWaitingWhile(session: Session, keepWaiting: () => Promise<boolean>): void;
  /** End `pid` if it is still the session that started at `started`, and wait until it is gone. */
  terminate(observer: Session, pid: number, started: string): Promise<void>;
  /** Refuse writes for the rest of the session (dry runs, status). */
  readOnly(session: Session): Promise<void>;
}

/** One backfill batch and what the pacing reads. */
export interface BackfillDriver {
  /** Rows in the table, as the server estimates it; null when unknown. */
  estimateRows(session: Session, table: string): Promise<number | null>;
  /**
   * Update up to `limit` rows of `spec` still to do after `lastKey` in one transaction with the
   * given timeouts; `inside` runs in that transaction after the update (when it updated rows).
   * Returns the rows updated and the new keyset position (JSON text).
   */
  batch(
    session: Session,
    spec: BackfillSpec,
    at: { lastKey: string | null; limit: number; lockTimeoutMs: number; statementTimeoutMs: number },
    inside: (done: { rows: number; lastKey: string | null }) => Promise<void>,
  ): Promise<{ rows: number; lastKey: string | null }>;
  /** The largest replica lag (ms); 0 when none or not visible to us. */
  replicaLagMs(session: Session): Promise<number>;
}

/** What a failed online build leaves behind (PostgreSQL: INVALID indexes). */
export interface Leftovers {
  /** The leftovers in user schemas, as `schema.name`, sorted. */
  list(session: Session): Promise<string[]>;
  /** Drop one; false when it could not be. */
  drop(session: Session, name: string): Promise<boolean>;
}

/** Server errors, sorted the way deploy acts on them. */
export interface DeployErrors {
  /** The server's error code (SQLSTATE), or null. */
  code(error: unknown): string | null;
  /** The connection is gone or unusable: nothing more can be sent on it. */
  isConnectionError(error: unknown): boolean;
  /** What a retry may cure: a lock wait that timed out, a deadlock; a cancel (the watchdog's). */
  kind(error: unknown): 'lock timeout' | 'deadlock' | 'cancelled' | 'other';
  /** The code reported for a lost connection that gave none. */
  connectionLostCode: string;
}

/**
 * The server's words and queries an incident report quotes (src/deploy/incident): error
 * names, who holds locks, how to end a session, what a leftover is and how to drop it.
 */
export interface IncidentWords {
  /** The product, in users' words ("PostgreSQL"). */
  product: string;
  /** What an error code is called in the report ("SQLSTATE", "error"). */
  codeLabel: string;
  /** The server's name for an error code ("lock_not_available", "ER_LOCK_WAIT_TIMEOUT"). */
  errorName(code: string): string | undefined;
  /** The constraint an error code says existing rows break; null for any other error. */
  violation(code: string | null): 'not null' | 'unique' | 'foreign key' | 'check' | 'constraint' | null;
  /** The column a NOT NULL violation's message names, unquoted; null when it names none. */
  nullColumn(message: string): string | null;
  quoteIdent(name: string): string;
  /** `schema.table` as the plan writes it, quoted. */
  quoteTable(name: string): string;
  /** The session setting that bounds a lock wait ("lock_timeout"). */
  lockTimeoutSetting: string;
  /** The setting that ends a transaction left open, and whom to set it for ("application roles"). */
  idleTimeout: { setting: string; who: string };
  /** A query listing who holds locks on `table` (null: who blocks the sessions waiting for locks). */
  lockHolders(table: string | null): string;
  /** The statement that ends session `pid` and rolls back its transaction. */
  endSession(pid: number): string;
  /** Whether a session in `state` (SessionInfo.state) sits idle inside a transaction. */
  idleInTransaction(state: string | null): boolean;
  /** A query listing transactions open for more than a minute. */
  longTransactions: string;
  /** What a failed online build leaves (Leftovers), in words, and the statement that drops one. */
  leftover: { what: string; cause: string; drop(name: string): string };
}

/**
 * A copy of the whole database taken before a deploy's first step, put back when the steps'
 * own rollback could not undo them (a database that is one file: SQLite). Absent: the dialect
 * relies on the steps' rollback alone.
 */
export interface DeployBackup {
  /**
   * Copy the database before the first step of deploy `deployId`; a resumed deploy gets the
   * copy its first run made (`reused`), or null when that copy is gone.
   */
  take(session: Session, deployId: number): Promise<{ path: string; reused: boolean } | null>;
  /**
   * Put the copy back into the live database, unless that would lose what others wrote since
   * it was taken (then `why` says so, and nothing changed). The journal goes back with it: the
   * caller writes the deploy's records again afterwards.
   */
  restore(session: Session, path: string): Promise<{ restored: true } | { restored: false; why: string }>;
}

export interface DeployDriver {
  journal: JournalStore;
  lock: DeployLock;
  probes: SessionProbes;
  backfill: BackfillDriver;
  leftovers: Leftovers;
  errors: DeployErrors;
  /** The incident report's server words; absent: PostgreSQL's. */
  incident?: IncidentWords;
  /** A backup of the database taken before the first step (SQLite: the file); absent: none. */
  backup?: DeployBackup;
}
