/**
 * MySQL's and MariaDB's QueryChecker (core/dialect/impact.ts): the server compiles another
 * service's query against the scratch database's schema without running it.
 *
 * How: each statement (statements.ts: split, placeholders back to `?`) is sent as a binary
 * protocol COM_STMT_PREPARE, mysql2's `connection.prepare()`, then closed (COM_STMT_CLOSE).
 * Preparing resolves every table, view, column, function and collation the statement names and
 * executes nothing; its errors are the server's own (1146 no such table, 1054 unknown column,
 * 1356 invalid view, …). The statement text travels as is: SQL-level `PREPARE s FROM '…'` would
 * need it quoted as a string literal under the scratch session's sql_mode (which copies the
 * target's, NO_BACKSLASH_ESCAPES included), and takes a second statement to deallocate. What
 * the server checks only when a statement runs (a procedure's CALL, a trigger's body, DELETE's
 * ORDER BY on MariaDB, a stored function's argument count, a FULLTEXT index for MATCH) is not
 * seen: docs/decisions/0029-mysql-query-checker.md has the measured list.
 *
 * A scratch session retargets the SQL it runs from the target's database name to the scratch
 * one (scratch/guard.ts); the statement prepared here goes through the same rewrite, so a query
 * written `shop.items` compiles against the copy, and one naming another database is not
 * checkable rather than compiled against a database the migration does not touch.
 */
import type { NotCheckable, QueryChecker } from '../../../core/dialect/impact.js';
import type { QueryError } from '../../../core/impact.js';
import { ForeignDatabaseError } from '../scratch/retarget.js';
import { mysqlSession, type MysqlSession } from '../session.js';
import { preparableStatements, type Preparable } from './statements.js';

/** ER_UNSUPPORTED_PS: "This command is not supported in the prepared statement protocol yet". */
const UNSUPPORTED_PS = 1295;
/** ER_NEED_REPREPARE: a table changed while the statement was being prepared; asking again is the answer. */
const NEED_REPREPARE = 1615;

export const mysqlQueryChecker: QueryChecker = {
  async prepare(session, sql) {
    const mysql = mysqlSession(session);
    const split = splitQuery(sql);
    if ('notCheckable' in split) return split;
    for (const statement of split.statements) {
      let text: string;
      try {
        text = mysql.rewrite ? mysql.rewrite(statement) : statement;
      } catch (error) {
        if (error instanceof ForeignDatabaseError)
          return {
            notCheckable: `it names the database \`${error.database}\`, which is not the migration's: it is not compiled against a database the migration does not change`,
          };
        throw error;
      }
      const outcome = await prepareOne(mysql, text);
      if (outcome) return outcome;
    }
    return null;
  },
};

const splits = new Map<string, Preparable>();

/** Remembered: the same queries are prepared after every step. */
function splitQuery(sql: string): Preparable {
  const known = splits.get(sql);
  if (known) return known;
  const split = preparableStatements(sql);
  if (splits.size >= 50_000) splits.clear();
  splits.set(sql, split);
  return split;
}

async function prepareOne(session: MysqlSession, sql: string): Promise<QueryError | NotCheckable | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      const statement = await session.connection.prepare(sql);
      // No answer comes back for COM_STMT_CLOSE: the next command on the connection follows it.
      await statement.close();
      return null;
    } catch (caught) {
      const error = serverError(caught);
      if (!error) throw caught;
      if (error.errno === NEED_REPREPARE && attempt < 2) continue;
      if (error.errno === UNSUPPORTED_PS) return { notCheckable: `${error.message} (${error.errno})` };
      return { code: String(error.errno), message: error.message };
    }
  }
}

/**
 * The server's refusal of the statement (an error number and SQLSTATE, the connection still
 * usable); null for anything else (a lost connection, a client error), which is not the
 * query's fault and is thrown.
 */
function serverError(caught: unknown): { errno: number; message: string } | null {
  const e = caught as {
    errno?: unknown;
    sqlState?: unknown;
    sqlMessage?: unknown;
    message?: unknown;
    fatal?: unknown;
  };
  if (typeof e.errno !== 'number' || typeof e.sqlState !== 'string' || e.fatal === true) return null;
  const message = typeof e.sqlMessage === 'string' ? e.sqlMessage : String(e.message);
  return { errno: e.errno, message };
}
