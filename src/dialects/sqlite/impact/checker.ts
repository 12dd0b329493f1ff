/**
 * SQLite's QueryChecker (core/dialect/impact.ts): the library compiles another service's query
 * against the scratch copy's schema without running it. `sqlite3_prepare_v2` (better-sqlite3's
 * `db.prepare`) resolves every table, view, column and function a statement names and
 * executes nothing; its errors are SQLite's own ("no such column: note", "no such table: x").
 * The extractor's `$1` placeholders are valid SQLite parameters as they are (`$AAAA` names a
 * parameter: https://www.sqlite.org/lang_expr.html#varparam), so the text is prepared unchanged.
 * Only statements that read or write rows are compiled; DDL, PRAGMA and transaction control are
 * not checkable (preparing them checks little, and they are not what services run per request).
 */
import type { NotCheckable, QueryChecker } from '../../../core/dialect/impact.js';
import type { QueryError } from '../../../core/impact.js';
import { sqliteSession } from '../session.js';
import { splitSqlite } from '../syntax/split.js';

const QUERY_KINDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH', 'VALUES']);

export const sqliteQueryChecker: QueryChecker = {
  prepare(session, sql) {
    const { db } = sqliteSession(session);
    const statements = splitSqlite(sql).statements;
    const queries = statements.filter((s) => QUERY_KINDS.has((s.tokens[0]?.text ?? '').toUpperCase()));
    if (queries.length === 0) {
      const first = (statements[0]?.tokens[0]?.text ?? '').toUpperCase();
      return Promise.resolve<NotCheckable>({
        notCheckable: `${first || 'an empty statement'} is not a query SQLite compiles without running it`,
      });
    }
    for (const statement of queries) {
      try {
        db.prepare(sql.slice(statement.start, statement.end));
      } catch (error) {
        return Promise.resolve(queryError(error));
      }
    }
    return Promise.resolve(null);
  },
};

function queryError(error: unknown): QueryError {
  const code = (error as { code?: unknown }).code;
  return {
    code: typeof code === 'string' ? code : 'SQLITE_ERROR',
    message: error instanceof Error ? error.message : String(error),
  };
}
