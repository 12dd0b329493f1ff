/**
 * The data of an analysis, from parsed statements to the assessment. All of it is plain JSON;
 * `AnalysisResult` is exactly what `analyze --format json` prints (schema/analyze-output.schema.json).
 */
import type { Change } from './change.js';
import type { LockMode } from './locks.js';

/** One statement as the parser found it, with where it came from. */
export interface ParsedStatement {
  file: string;
  /** 1-based, in characters. */
  line: number;
  column: number;
  /** The statement's text as written (without the trailing semicolon). */
  sql: string;
  /** Comments between the previous statement and this one (where ignore directives live). */
  leadingComments: string[];
  /** Parser node (`{ AlterTableStmt: … }`); dialect-specific, never serialised. */
  ast: unknown;
}

/**
 * How a migration runner executes a file. It decides whether CONCURRENTLY is legal and how long
 * locks are held: a lock is released only when its transaction ends.
 * - `transaction`: the runner wraps the whole file in one transaction (Flyway, dbmate, Drizzle);
 * - `implicit`: the file is sent as one multi-statement query, which Postgres runs as one
 *   implicit transaction unless it is a single statement (golang-migrate, Prisma, psql -c);
 * - `none`: each statement commits on its own unless the file says BEGIN (psql -f, Sqitch,
 *   `alembic upgrade --sql` output, which carries its own BEGIN/COMMIT).
 */
export type TransactionMode = 'transaction' | 'implicit' | 'none';

export type LockFact = { table: string; mode: LockMode };

export type ValidatedConstraint = 'check' | 'not null' | 'foreign key' | 'partition bound';

/** What executing one Change does on the server: verified per version by test/facts. */
export interface ChangeFacts {
  locks: LockFact[];
  /** The table's data is rewritten into new files (relfilenode changes). */
  rewritesTable: boolean;
  /** Every row is read (to validate a constraint, NOT NULL, a cast) without rewriting. */
  scansTable: boolean;
  /** Existing indexes are rebuilt (follows a rewrite; also some type changes). */
  rebuildsIndexes: boolean;
  /** A new index is built by reading the whole table. */
  buildsIndex: boolean;
  /** The change may fail on existing data, or change it: a narrowing type change, a new UNIQUE. */
  rejectsExistingValues: boolean;
  /**
   * Constraints checked against the existing rows by reading them: a CHECK or NOT NULL in a
   * scan of the table (or while it is rewritten), a foreign key by a query over both tables.
   * Empty when the constraint is taken as valid without reading a row (a new column without a
   * default is all NULL, so its foreign key is).
   */
  validates: ValidatedConstraint[];
  /**
   * Every row is discarded (TRUNCATE): the table and its indexes get new, empty files. Not a
   * rewrite: nothing is copied, and the time does not grow with the table.
   */
  emptiesTable: boolean;
  /** False when the statement cannot run inside a transaction block. */
  transactional: boolean;
  /**
   * A setting that does nothing while a transaction is open (SQLite's `PRAGMA foreign_keys`):
   * there the session keeps its value. Left out otherwise.
   */
  ignoredInTransaction?: true;
  /** Why, in a few words each ("constant default: catalog-only since PG11"). */
  notes: string[];
  /**
   * MySQL/MariaDB online DDL: how the server carries the change out. Absent for dialects
   * whose locks alone say it (PostgreSQL).
   */
  online?: OnlineDdl;
}

export type OnlineAlgorithm = 'INSTANT' | 'NOCOPY' | 'INPLACE' | 'COPY';

/**
 * What a MySQL/MariaDB ALTER does while it works, beside the metadata lock in `locks` (the one
 * held for the work: SHARED_UPGRADABLE for an online change, SHARED_NO_WRITE for a copy,
 * EXCLUSIVE for an instant one). Every ALTER also takes a brief EXCLUSIVE metadata lock to
 * start and to finish, so it queues behind any open transaction that has read the table and
 * everything after it queues behind it; `lock_wait_timeout` bounds that wait.
 */
export interface OnlineDdl {
  /** The algorithm that really runs (the server picks the fastest it can when none is named). */
  algorithm: OnlineAlgorithm;
  /** The table's data is written anew, in place (INPLACE with rebuild) or by copy. */
  rebuildsTable: boolean;
  blocksWrites: boolean;
  blocksReads: boolean;
  /**
   * The written `LOCK=` holds traffic the server would let go on without it (LOCK=SHARED on an
   * index build that runs with LOCK=NONE): the statement blocks by request, not by necessity.
   */
  lockRaisedByClause?: boolean;
  /**
   * `server-verified`: measured on the MariaDB the tests run against (test/dialects/mysql/facts);
   * `documented-only`: read from the vendor's manual (MySQL 8), no server here to measure it on.
   */
  evidence: FactEvidence;
}

export type FactEvidence = 'server-verified' | 'documented-only';

/** A Change that locks, reads and writes nothing: the base every fact starts from. */
export const NO_FACTS: ChangeFacts = {
  locks: [],
  rewritesTable: false,
  scansTable: false,
  rebuildsIndexes: false,
  buildsIndex: false,
  rejectsExistingValues: false,
  validates: [],
  emptiesTable: false,
  transactional: true,
  notes: [],
};

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** Ready-to-paste SQL that does the same thing safely, for the user's own statement; null when there is none. */
  safeAlternative: string | null;
  /** Qualified table the finding is about, when there is one. */
  table?: string;
}

export interface StatementLock {
  table: string;
  mode: LockMode;
}

export interface AnalyzedStatement {
  file: string;
  line: number;
  column: number;
  sql: string;
  changes: Change[];
  locks: StatementLock[];
  rewritesTable: boolean;
  scansTable: boolean;
  /** Whether the statement runs inside a transaction block (runner + BEGIN/COMMIT). */
  transactional: boolean;
  /** Time the statement holds a lock that blocks application reads or writes. */
  estimatedLockMs: number;
  findings: Finding[];
  /**
   * MySQL/MariaDB only (OnlineDdl, the statement's heaviest ALTER): the algorithm that runs,
   * whether application writes and reads wait for the whole statement, and where the facts
   * come from.
   */
  algorithm?: OnlineAlgorithm;
  blocksWrites?: boolean;
  blocksReads?: boolean;
  evidence?: FactEvidence;
}

export type PerformanceImpact = 'low' | 'medium' | 'high';

/** The brief's JSON, with exactly its keys. */
export interface Assessment {
  breaking_changes: string[];
  performance_impact: PerformanceImpact;
  lock_duration_estimate: string;
  requires_data_migration: boolean;
  rollback_complexity: 1 | 2 | 3 | 4 | 5;
  safe_to_deploy: boolean;
  recommended_approach: string;
}

export interface AnalysisResult {
  /** The dialect name (the registry key: postgres, mysql, sqlite). */
  dialect: string;
  /** e.g. "15.19" from the live database, "15" from config, or null when unknown (then 11+ assumed… see assumptions). */
  serverVersion: string | null;
  statements: AnalyzedStatement[];
  assessment: Assessment;
  /** What the analysis had to assume for lack of a schema or version (empty when it knew everything). */
  assumptions: string[];
}
