/**
 * What cross-service impact (src/impact) asks of a dialect's driver: whether the server
 * compiles a query against the schema a session sees, without running it. The server is the
 * judge: its own name resolution, types and error codes, not our reading of the SQL.
 */
import type { QueryError } from '../impact.js';
import type { Session } from './driver.js';

/**
 * A query the server cannot compile without running it (DDL, a transaction statement, SET…):
 * not a break, not checked, counted apart.
 */
export interface NotCheckable {
  notCheckable: string;
}

export interface QueryChecker {
  /**
   * Compile `sql` (parameters `$1`…`$parameters`) against the session's current schema without
   * executing it; null when the server accepts it, else the server's error, or `NotCheckable`
   * when no statement of `sql` is of a kind the server compiles without running. A string of
   * several statements is checked statement by statement (the first error wins). Leaves no
   * prepared statement or open transaction behind.
   */
  prepare(session: Session, sql: string, parameters: number): Promise<QueryError | NotCheckable | null>;
  /**
   * The same answer as `prepare` for each query, in order, in fewer round trips to the server
   * (several compiled per request). Optional: without it each query is prepared on its own.
   */
  prepareAll?(
    session: Session,
    queries: readonly { sql: string; parameters: number }[],
  ): Promise<(QueryError | NotCheckable | null)[]>;
}
