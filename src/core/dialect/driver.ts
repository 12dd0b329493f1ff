/**
 * The driver half of a dialect: sessions on a live server and everything deploy, validate and
 * the live analysis do through them. The engine above never sees the client library: it holds
 * `Session` values and hands them back to the driver that made them.
 *
 * Sections are owned by the layer that uses them; each documents the server behaviour its
 * implementation must provide, not how.
 */
import type { PlanCheck, PlanStep } from '../plan.js';
import type { SchemaSnapshot } from '../snapshot.js';
import type { LiveReader } from './live.js';
import type { DeployDriver, StepExecution, StepText } from './deploy.js';
import type { QueryChecker } from './impact.js';
import type { ServerVersion } from './version.js';
import type { ValidationDriver } from './validation.js';

/** An open connection, opaque to the engine. */
export interface Session {
  /** The dialect whose driver opened it (a driver refuses another's session). */
  readonly dialect: string;
  /** The server's id for this session (PostgreSQL backend pid, MySQL connection id). */
  readonly pid: number;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Shown in the server's session list (pg_stat_activity, PROCESSLIST). */
  applicationName: string;
  /** A session that cannot write (inspect, analyze): the server refuses writes. */
  readOnly?: boolean;
  /**
   * How long (ms) the client waits for any one query's answer before it abandons the
   * connection (unless told to keep waiting: SessionProbes.keepWaitingWhile).
   */
  deadlineMs?: number;
}

export interface IntrospectOptions {
  /** Schemas to read; default: every non-system schema. */
  schemas?: readonly string[];
  /** Skip row counts and sizes (a replayed schema has none worth reading). */
  withoutStats?: boolean;
}

/**
 * Running plan steps: the one implementation of a step's mechanics (its transaction or none,
 * its lock and statement timeouts, its checks) that validate, deploy, rollback and the
 * written migration files (their text form) all follow.
 */
export interface StepRunner extends StepText, StepExecution {
  /** Pre-checks, the step's SQL with its timeouts (in one transaction when `transactional`), post-checks. */
  apply(session: Session, step: PlanStep): Promise<void>;
  /** The step's rollback SQL (statements that refuse a transaction run outside one). */
  rollback(session: Session, step: PlanStep): Promise<void>;
  /** A check query's answer (its first column is true). */
  check(session: Session, check: PlanCheck): Promise<boolean>;
}

/**
 * Plain reads of SQL the engine writes itself rather than the dialect: the standard catalog
 * views (information_schema) and the history tables migration tools keep (src/formats/history.ts
 * reads which migrations are applied). The session is the caller's, read-only or not.
 */
export interface PlainReads {
  /**
   * The schema an unqualified table name resolves to on this session (PostgreSQL:
   * current_schema(); MySQL/MariaDB: the session's database); null when there is none.
   */
  currentSchema(session: Session): Promise<string | null>;
  /**
   * The rows of one SELECT without parameters, each keyed by column name, with the values as
   * the client library returns them (strings, numbers, booleans, null; wide integers and
   * timestamps may come as strings).
   */
  select(session: Session, sql: string): Promise<Record<string, unknown>[]>;
  /**
   * Whether `schema.table` exists, for a database without information_schema (SQLite). Absent:
   * the caller asks information_schema.tables.
   */
  tableExists?(session: Session, schema: string, table: string): Promise<boolean>;
}

export interface DialectDriver {
  /** The target as users may see it: host, port, database, user; never a password. */
  describeTarget(url: string, source?: string): string;
  connect(url: string, options: ConnectOptions): Promise<Session>;
  serverVersion(session: Session): Promise<ServerVersion>;
  introspect(session: Session, options?: IntrospectOptions): Promise<SchemaSnapshot>;
  /**
   * Connect to `url`, read its snapshot read-only in one consistent view, disconnect: what
   * `inspect` and validate's scratch copies use. May use several sessions to go faster
   * (PostgreSQL: three sharing one exported snapshot).
   */
  inspect(url: string, options?: IntrospectOptions): Promise<SchemaSnapshot>;
  steps: StepRunner;
  /** Tracing, cloning and data for `validate` (core/dialect/validation.ts); absent: no validate. */
  validation?: ValidationDriver;
  /** Input gathering's reads (core/dialect/live.ts); without it, analysis uses the snapshot's estimates. */
  live?: LiveReader;
  /** Deploy, rollback and the journal (src/deploy); a driver without it cannot deploy. */
  deploy?: DeployDriver;
  /** Compiling other services' queries against a schema (src/impact); without it, impact cannot check. */
  impact?: QueryChecker;
  /** Plain reads (a migration tool's history); without them, which migrations are pending is unknown. */
  reads?: PlainReads;
}
