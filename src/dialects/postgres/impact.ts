/**
 * PostgreSQL's QueryChecker (core/dialect/impact.ts): the server compiles another service's
 * query against the scratch database's schema without running it.
 *
 * How: each statement of the query, split by PostgreSQL's own parser, is sent as
 * `PREPARE name AS <statement>` followed by `DEALLOCATE name` in the same simple query. PREPARE
 * parses, resolves every name and type and rewrites the statement, exactly as a driver's Parse
 * message would, and executes nothing; DEALLOCATE leaves nothing behind, and no transaction
 * stays open (https://www.postgresql.org/docs/current/sql-prepare.html). PREPARE only takes
 * SELECT, INSERT, UPDATE, DELETE, MERGE and VALUES: any other statement (DDL, BEGIN, SET) is
 * not compiled without running it, so it is reported as not checkable, never sent. Splitting
 * first also keeps a second statement of the string from ever running after the PREPARE.
 *
 * Parameters: the server infers each `$n`'s type from where it is used, as it does for a
 * driver that sends them untyped (node-postgres, psycopg, pgx's simple mode). Where it cannot
 * (`$1 IS NULL`, an unused `$1`), PREPARE fails with 42P18 "could not determine data type of
 * parameter $n": that is a fact about our check, not about the schema, so that parameter alone
 * is declared `text` and the statement prepared again (the others stay `unknown`, which the docs
 * define as "inferred from context"). `text` because it is what an untyped literal resolves to
 * and what drivers send; declaring every parameter `text` up front would instead make
 * `id = $1` fail with 42883 (no bigint = text operator) on a healthy query.
 */
import type { NotCheckable, QueryChecker } from '../../core/dialect/impact.js';
import type { QueryError } from '../../core/impact.js';
import { nodeType } from './ast.js';
import { loadPostgresParser, parsePostgres } from './parser.js';
import { pgClient } from './session.js';
import type pg from 'pg';

const PREPARABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
const INDETERMINATE_DATATYPE = '42P18';
let counter = 0;

export const postgresQueryChecker: QueryChecker = {
  async prepare(session, sql, parameters) {
    const client = pgClient(session);
    await loadPostgresParser();
    let statements;
    try {
      statements = parsePostgres(sql, 'query').statements;
    } catch (error) {
      // The server's own grammar (libpg-query) refused it: the error PREPARE would give.
      return { code: '42601', message: (error as Error).message.replace(/^query:\d+:\d+: /, '') };
    }
    const skipped: string[] = [];
    let checked = 0;
    for (const statement of statements) {
      const type = nodeType(statement.ast);
      if (!PREPARABLE.has(type)) {
        skipped.push(type.replace(/Stmt$/, ''));
        continue;
      }
      checked++;
      const error = await prepareOne(client, statement.sql, parameters);
      if (error) return error;
    }
    if (checked === 0 && skipped.length > 0)
      return { notCheckable: `${skipped.join(', ')}: not a query PREPARE compiles` } satisfies NotCheckable;
    return null;
  },
};

async function prepareOne(client: pg.Client, sql: string, parameters: number): Promise<QueryError | null> {
  const declared: string[] = Array.from({ length: parameters }, () => 'unknown');
  for (;;) {
    const name = `schemapilot_impact_${++counter}`;
    const types = declared.length > 0 ? ` (${declared.join(', ')})` : '';
    try {
      // The newline ends a trailing `-- comment` of the statement before the semicolon.
      await client.query(`PREPARE ${name}${types} AS ${sql}\n;DEALLOCATE ${name}`);
      return null;
    } catch (caught) {
      const error = caught as { code?: string; message?: string };
      // No SQLSTATE: the connection failed, not the query.
      if (!error.code) throw caught;
      const message = error.message ?? String(caught);
      const n = error.code === INDETERMINATE_DATATYPE ? Number(/\$(\d+)/.exec(message)?.[1]) : NaN;
      if (Number.isInteger(n) && n >= 1 && declared[n - 1] !== 'text') {
        while (declared.length < n) declared.push('unknown');
        declared[n - 1] = 'text';
        continue;
      }
      return { code: error.code, message };
    }
  }
}
