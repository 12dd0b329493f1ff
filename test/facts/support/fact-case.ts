/**
 * A fact case: a statement, the schema it runs against, and where the documentation states
 * what it does. The runner (run-case.ts) asks facts.ts what the statement does, runs it on the
 * server, and checks the two agree.
 */
import type { LockMode } from '../../../src/core/locks.js';
import type { EdgeRow } from './edge-row.js';

export interface FactCase {
  name: string;
  /**
   * The PostgreSQL documentation page that states the fact, with a version in the URL where
   * the behaviour differs between versions (more than one when it does).
   */
  docs: string | string[];
  /** SQL run and committed first, in the case's own schema (unqualified names land there). */
  setup: string | ((major: number) => string);
  /** The statement under test (one statement). */
  sql: string;
  /** Oldest and newest server majors the statement exists on. */
  minMajor?: number;
  maxMajor?: number;
  /** Session TimeZone while the statement runs (default UTC). */
  timeZone?: string;
  /**
   * For statements that cannot run in a transaction block: SQL that each blocker connection
   * runs in a transaction it keeps open, so the statement waits and its locks can be read
   * (src/validate/trace.ts). One blocker per wait the statement is expected to make.
   */
  blockers?: string[];
  /**
   * Checks rejectsExistingValues (edge-row.ts): with this row in place the statement must fail
   * or change it exactly when facts say so. Left out where facts can only say "may" (a CHECK
   * on a new column without default rejects nothing unless it rejects NULL).
   */
  edge?: EdgeRow;
  /**
   * What the server must show whatever facts.ts says, so that a case keeps testing what its
   * name claims (a fixture mistake cannot make facts and server agree on nothing).
   */
  server?: (major: number) => Partial<Verdict>;
}

/** What a statement does, as facts.ts predicts it and as the server shows it. */
export interface Verdict {
  /** Strongest lock per relation, `schema.name` → mode. */
  locks: Record<string, LockMode>;
  rewritesTable: boolean;
  /** Every row discarded (TRUNCATE): new, empty files. */
  emptiesTable: boolean;
  rebuildsIndexes: boolean;
  buildsIndex: boolean;
  /** Absent when it cannot be measured (statements outside a transaction block). */
  scansTable?: boolean;
  transactional: boolean;
}

export interface FactGroup {
  name: string;
  cases: FactCase[];
}

/** A table with a primary key and 50 rows: every rewrite also rebuilds an index, every scan reads rows. */
export const TABLE_T = `CREATE TABLE t (id int PRIMARY KEY, a int NOT NULL, b int, c text);
INSERT INTO t SELECT g, g, g, 'row ' || g FROM generate_series(1, 50) g;`;

/** `p` is referenced by `r.p_id` (foreign key `r_p_fk`), both with rows that satisfy it. */
export const TABLES_P_R = `CREATE TABLE p (id int PRIMARY KEY);
INSERT INTO p SELECT generate_series(1, 50);
CREATE TABLE r (id int PRIMARY KEY, p_id int);
INSERT INTO r SELECT g, g FROM generate_series(1, 50) g;`;

export const ALTER_TABLE_DOCS = 'https://www.postgresql.org/docs/current/sql-altertable.html';
export const LOCKING_DOCS = 'https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES';

/** The URL of a docs page for a given major (`docs/11/…`), for facts that differ by version. */
export function docsFor(major: number | 'current', page: string): string {
  return `https://www.postgresql.org/docs/${major}/${page}`;
}
