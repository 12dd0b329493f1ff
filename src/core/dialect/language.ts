/**
 * The language half of a dialect: what the analysis needs with no server at hand. Parse a
 * file into statements with locations, lower each statement to Changes, answer fact questions
 * per Change and server version, quote, and read and compare the server's version.
 */
import type { ParsedStatement } from '../analysis.js';
import type { Change } from '../change.js';
import type { DialectFacts } from '../facts.js';
import type { Quoter } from '../rule.js';
import type { DialectName, SchemaSnapshot, Table } from '../snapshot.js';
import type { QueryShaper } from './query-shape.js';
import type { RebuildSchema, SafeSql } from './safe-sql.js';
import type { ServerVersion } from './version.js';

export interface ParsedFile {
  statements: ParsedStatement[];
  /** Every comment of the file, for ignore directives. */
  comments: string[];
}

/** The per-run binding the analysis loop uses (the default schema fixed). */
export interface Engine {
  dialect: string;
  parse(sql: string, file: string): ParsedFile;
  lower(ast: unknown, defaultSchema: string): Change[];
  facts: DialectFacts;
  quote: Quoter;
  /** MySQL: a DDL statement commits the open transaction before it runs (no transactional DDL). */
  ddlCommitsTransaction?: boolean;
  /**
   * Settings the database itself holds, as if each file had SET them first (SQLite: the file's
   * journal_mode, which decides whether readers wait for a rewrite); facts read them with
   * sessionVariable. Absent: none.
   */
  settingsOf?(snapshot: SchemaSnapshot | null): Record<string, string>;
}

/**
 * The statement rewrites plans need from the dialect's parser: the user's own statement changed
 * in one place and printed back, so nothing they wrote is lost. With an Engine, this is what
 * the planner works with (PlanningEngine).
 */
export interface StatementRewrites {
  /** The ALTER TABLE statement `ast` reduced to its action number `index`. */
  alterTableAction(ast: unknown, index: number): string;
  /**
   * The action of the ALTER TABLE statement `ast` that its Change number `change` comes from,
   * where one action lowers to several Changes (MySQL's MODIFY restates the whole column: a
   * type, a nullability, a default). The planner plans the Changes of one action together.
   * Without it, Change i comes from action i.
   */
  actionOf?(ast: unknown, change: number): number;
}

/** SQL that undoes a Change (the planner's rollback of a statement kept as written). */
export interface ChangeInverse {
  sql: string[];
  /** False when data or an object that cannot be rebuilt is lost. */
  reversible: boolean;
}

/** The schema just before a run of statements (RunsOfStatements.check). */
export interface RunSchema extends RebuildSchema {
  table(name: string): Table | undefined;
}

/** What the dialect makes of a run: the step's words, what is wrong in it, and its rollback. */
export interface RunCheck {
  description: string;
  warnings: string[];
  /** The run's undo; null: the planner derives it from each statement's, as for any statement. */
  rollback: string[] | null;
  reversible: boolean;
  destroysData: boolean;
  phase: 'expand' | 'contract';
  /** A table the run copies row by row (a rebuild): the step's duration is that table's rewrite. */
  copiesTable?: string;
}

/**
 * Runs of statements that only mean something together, kept as one step as written, outside the
 * runner's transaction: SQLite's table rebuild written by hand (PRAGMA foreign_keys = OFF, BEGIN …
 * COMMIT, PRAGMA foreign_keys = ON), or the user's own BEGIN … COMMIT. Split into steps of their
 * own, the PRAGMA would run inside a transaction (doing nothing) and DROP TABLE in another.
 */
export interface RunsOfStatements {
  /** The runs of a file's statements, as [first, last] indexes, in order and apart. */
  find(statements: readonly ParsedStatement[]): { first: number; last: number }[];
  check(statements: readonly ParsedStatement[], schema: RunSchema): RunCheck;
}

/** The engine the planner works with: the Engine, its rewrites, and the dialect's safe SQL. */
export interface PlanningEngine extends Engine, StatementRewrites {
  /** Plans store their dialect: one of the JSON contract's names. */
  dialect: DialectName;
  /**
   * The building blocks recipes write their steps with. Without them no recipe runs: every
   * statement is kept as written.
   */
  safeSql?: SafeSql;
  /**
   * Server error codes a step retries on, after a backoff (a lock wait that timed out, a
   * deadlock), spelled as the driver's errors carry them in `code` (deploy compares that).
   */
  retryOn?: readonly string[];
  /**
   * The unit the server's lock wait limit takes, in ms: plan steps' `lockTimeoutMs` are rounded
   * up to it so the plan says what runs (MySQL's lock_wait_timeout: whole seconds). Absent: 1.
   */
  lockTimeoutUnitMs?: number;
  /**
   * The dialect's own rollback of a Change, where the planner's (PostgreSQL's spelling) does not
   * fit; undefined: the planner's. `table` gives the schema just before the Change.
   */
  inverse?(change: Change, table: (name: string) => Table | undefined): ChangeInverse | undefined;
  /** Statements planned together as one step as written (above); absent: every statement on its own. */
  runs?: RunsOfStatements;
}

/**
 * What the server can do, for the parts of the engine that choose between strategies without
 * knowing the dialect (the planner's step shapes, the validator's tracing mode, the report).
 */
export interface Capabilities {
  /** DDL runs inside a transaction and rolls back with it (PostgreSQL, SQLite; not MySQL). */
  transactionalDdl: boolean;
  /** Indexes can be built without blocking writes (PostgreSQL CONCURRENTLY, MySQL online DDL). */
  concurrentIndexBuilds: boolean;
  /** Constraints can be added unchecked and validated later (PostgreSQL NOT VALID). */
  notValidConstraints: boolean;
  /** The server has a session-level lock wait limit (lock_timeout, lock_wait_timeout). */
  lockTimeout: boolean;
  /** Longest identifier in bytes of the server's encoding (PostgreSQL 63, MySQL 64 characters). */
  maxIdentifierBytes: number;
}

export interface DialectLanguage {
  /** Load what parsing needs once per process (a WebAssembly parser); cheap after the first call. */
  load(): Promise<void>;
  /** The schema unqualified names resolve to when the user configures none. */
  defaultSchema: string;
  /**
   * The database's own command-line client running a file, in users' words ("psql -f", "the
   * mysql client", "the sqlite3 shell's .read"): how a file with no known runner is assumed to run.
   */
  fileClient: string;
  /**
   * The schema unqualified names resolve to on the database a snapshot describes, when that
   * depends on the connection (MySQL: the database in the URL); undefined: `defaultSchema`.
   */
  defaultSchemaOf?(snapshot: SchemaSnapshot | null): string | undefined;
  /** Bind the language to a default schema for one analysis run. */
  engine(defaultSchema: string): Engine;
  /**
   * The version as the server reports it ("15.19", "10.11.6-MariaDB", "8.0.29"), or a
   * configured one ("15"). Throws an InputError naming `source` when it cannot be read.
   */
  parseVersion(text: string, source?: string): ServerVersion;
  /** The version of a snapshot this dialect's introspector wrote. */
  snapshotVersion(snapshot: { serverVersion: string; serverVersionNum: number }): ServerVersion;
  /**
   * The number facts are keyed on: the PostgreSQL major; for dialects whose behaviour changes
   * at minor releases, a number that orders versions (MySQL 8.0.29 → 80029).
   */
  factKey(version: ServerVersion): number;
  /** The version analysis assumes when none is known, with the words the assumptions print. */
  assumedVersion: { version: ServerVersion; words: string };
  capabilities: Capabilities;
  /**
   * The engine with the planner's statement rewrites, bound to a default schema. Without it,
   * analyze and plan use the engine, and a recipe that needs a rewrite fails saying so.
   */
  planner?(defaultSchema: string): PlanningEngine;
  /**
   * Whether a session time zone (as the server prints it) is UTC for all time, which some
   * servers need to convert timestamps without a rewrite (PostgreSQL: timestamp ↔
   * timestamptz). Without it, every zone counts as not UTC (the side that predicts a rewrite).
   */
  isFixedUtcZone?(zone: string): boolean;
  /**
   * How Flyway's parser for this database decides that a statement cannot run in a transaction
   * (then Flyway runs the whole file without one). Without it, Flyway runs every file in one.
   */
  flyway?: { canRunInTransaction(ast: unknown, factKey: number): boolean };
  /**
   * What a query writes, names and returns (core/dialect/query-shape.ts), for the breaks of
   * cross-service impact that compiling the query cannot show. Without it, impact reports only
   * what the server refuses.
   */
  queryShape?: QueryShaper;
}
