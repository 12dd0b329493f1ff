/**
 * What cross-service impact (src/impact) asks of a dialect's driver: whether the server
 * compiles a query against the schema a session sees, without running it. The server is the
 * judge: its own name resolution, types and error codes, not our reading of the SQL.
 */
import type { QueryError } from '../impact.js';
import type { Session } from './driver.js';

export interface QueryChecker {
  /**
   * Compile `sql` (parameters `$1`…`$parameters`) against the session's current schema without
   * executing it; null when the server accepts it, else the server's error. Leaves no prepared
   * statement or open transaction behind.
   */
  prepare(session: Session, sql: string, parameters: number): Promise<QueryError | null>;
}
