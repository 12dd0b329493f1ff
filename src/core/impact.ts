/**
 * Cross-service impact: the queries other services run, and which of them a migration breaks.
 * Queries are extracted from each service's code with real parsers (src/impact/extract), then
 * the database itself says whether each still compiles (PREPARE) before the migration, after
 * each plan step and after the migration as written (src/impact/check). The JSON keys of
 * ImpactResult are the brief's.
 */

/** Languages (and file kinds) queries are read from. */
export type QueryLanguage =
  'typescript' | 'javascript' | 'python' | 'go' | 'java' | 'kotlin' | 'ruby' | 'sql' | 'prisma';

/** A service: a checkout of its code (`--service NAME=PATH`, or `services` in the config). */
export interface ServiceSource {
  name: string;
  /** Absolute path of the checkout. */
  path: string;
  /** Globs (relative to `path`) of the files to read; default: every file of a known language. */
  include?: readonly string[];
  /** Globs to skip, besides node_modules, vendor, .git and the migration folders. */
  exclude?: readonly string[];
  /** Which database it uses, when the fleet has several (informative for now). */
  database?: string;
}

/** One query found in a service's code, with its SQL normalised for the server. */
export interface ExtractedQuery {
  /** Relative to the service root, with `/` separators. */
  file: string;
  /** 1-based line and column where the query's SQL text starts. */
  line: number;
  column: number;
  /**
   * The SQL with every driver's placeholder (`?`, `%s`, `%(name)s`, `:name`, `@name`, `${expr}`)
   * turned into `$1`, `$2`, … in order of first appearance (a repeated named one reuses its number).
   */
  sql: string;
  /** Number of distinct parameters in `sql`. */
  parameters: number;
  language: QueryLanguage;
  /** The call or construct it came from, in the code's words: `pool.query`, `cursor.execute`, `sqlc :one`, `prisma model User`. */
  api: string;
}

/** A database call whose SQL could not be resolved statically: listed, never guessed at. */
export interface UnresolvedQuery {
  file: string;
  line: number;
  column: number;
  api: string;
  /** Why, in a few words: "built from a variable", "function call argument". */
  reason: string;
}

export interface ServiceExtraction {
  service: string;
  languages: QueryLanguage[];
  filesScanned: number;
  queries: ExtractedQuery[];
  unresolved: UnresolvedQuery[];
  /** Files read, per language. */
  filesByLanguage?: Partial<Record<QueryLanguage, number>>;
  /**
   * SQL found but not checked, with why: JPQL (`@Query` without nativeQuery), statements that are
   * not queries (BEGIN, DDL), text passed to a database call that is not SQL.
   */
  notChecked?: UnresolvedQuery[];
}

export interface QueryError {
  /** The server's error code: PostgreSQL's SQLSTATE (`42703`), MySQL's error number (`1054`). */
  code: string;
  message: string;
}

export interface ImpactedQuery {
  file: string;
  line: number;
  column: number;
  sql: string;
  /** `broken`: the server refuses it; `may break`: it compiles but the change can make it fail or change its result. */
  status: 'broken' | 'may break';
  /** The first plan step after which it breaks, or `as written` (the migration as the user wrote it). */
  breaksAt: string;
  error?: QueryError;
  /** For `may break`: why, in a sentence. */
  reason?: string;
}

export interface ServiceImpact {
  service: string;
  queries: ImpactedQuery[];
}

export interface ServiceSummary {
  service: string;
  languages: QueryLanguage[];
  filesScanned: number;
  queriesFound: number;
  queriesChecked: number;
  unresolved: { file: string; line: number }[];
  /** Queries that fail before the migration: not blamed on it. */
  alreadyBroken: { file: string; line: number; sql: string; error: QueryError }[];
  /**
   * Queries the server cannot compile without running them (DDL, a transaction statement):
   * neither checked nor counted in `queriesChecked`.
   */
  notCheckable?: { file: string; line: number; reason: string }[];
}

export interface ImpactResult {
  affected_services: ServiceImpact[];
  services: ServiceSummary[];
  /**
   * What kept the check from being complete: a schema object the scratch database could not
   * recreate, a plan step or the migration as written failing there (queries are then not
   * checked after it).
   */
  warnings?: string[];
}
