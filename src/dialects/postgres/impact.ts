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
 *
 * Many at once (prepareAll): up to BATCH statements go in one simple query, all the PREPAREs
 * first, then their DEALLOCATEs. Outside a transaction block PostgreSQL runs that string as one
 * implicit transaction and stops at the first error; prepared statements are not transactional,
 * so those that ran before it are still there: how many tells which statement failed, and it
 * alone is prepared again on its own (for the exact error, and the 42P18 retry above), the rest
 * of the batch sent again after it. The server parses the whole string before running any of
 * it: when a batch is refused for a statement it does not blame (our parser accepted a syntax
 * the server's version lacks), the rest of that batch goes one by one.
 */
import type { NotCheckable, QueryChecker } from '../../core/dialect/impact.js';
import type { QueryError } from '../../core/impact.js';
import { nodeType } from './ast.js';
import { loadPostgresParser, parsePostgres } from './parser.js';
import { pgClient } from './session.js';
import type pg from 'pg';

const PREPARABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
const INDETERMINATE_DATATYPE = '42P18';
/** Statements per request: long enough to save the round trips, short enough to redo cheaply. */
const BATCH = 100;
let counter = 0;

type Outcome = QueryError | NotCheckable | null;
/** A query split into the statements to prepare, or what it is without the server. */
type Split = { statements: string[] } | QueryError | NotCheckable;

export const postgresQueryChecker: QueryChecker = {
  async prepare(session, sql, parameters) {
    const [outcome] = await prepareAll(session, [{ sql, parameters }], 1);
    return outcome ?? null;
  },
  prepareAll: (session, queries) => prepareAll(session, queries, BATCH),
};

async function prepareAll(
  session: Parameters<QueryChecker['prepare']>[0],
  queries: readonly { sql: string; parameters: number }[],
  batchSize: number,
): Promise<Outcome[]> {
  const client = pgClient(session);
  await loadPostgresParser();
  const outcomes: Outcome[] = [];
  const units: { query: number; sql: string; parameters: number }[] = [];
  queries.forEach((query, index) => {
    const split = splitQuery(query.sql);
    outcomes.push('statements' in split ? null : split);
    if ('statements' in split)
      for (const sql of split.statements) units.push({ query: index, sql, parameters: query.parameters });
  });
  let oneByOneUntil = 0;
  for (let i = 0; i < units.length;) {
    // A query's first error wins: its later statements are not prepared.
    if (outcomes[units[i]!.query]) {
      i++;
      continue;
    }
    const batch = units.slice(i, i < oneByOneUntil ? i + 1 : i + batchSize);
    const done = batch.length > 1 ? await prepareBatch(client, batch) : 0;
    if (done === batch.length) {
      i += done;
      continue;
    }
    const failed = batch[done]!;
    const error = await prepareOne(client, failed.sql, failed.parameters);
    if (error) outcomes[failed.query] = error;
    else if (done === 0) oneByOneUntil = i + batch.length;
    i += done + 1;
  }
  return outcomes;
}

const splits = new Map<string, Split>();

/** Split by PostgreSQL's own parser, remembered: the same queries are prepared after every step. */
function splitQuery(sql: string): Split {
  const known = splits.get(sql);
  if (known) return known;
  let split: Split;
  try {
    const statements = parsePostgres(sql, 'query').statements;
    const skipped = statements.map((s) => nodeType(s.ast)).filter((type) => !PREPARABLE.has(type));
    const kept = statements.filter((s) => PREPARABLE.has(nodeType(s.ast))).map((s) => s.sql);
    split =
      kept.length === 0 && skipped.length > 0
        ? {
            notCheckable: `${skipped.map((t) => t.replace(/Stmt$/, '')).join(', ')}: not a query PREPARE compiles`,
          }
        : { statements: kept };
  } catch (error) {
    // The server's own grammar (libpg-query) refused it: the error PREPARE would give.
    split = { code: '42601', message: (error as Error).message.replace(/^query:\d+:\d+: /, '') };
  }
  if (splits.size >= 50_000) splits.clear();
  splits.set(sql, split);
  return split;
}

function prepareText(name: string, sql: string, declared: readonly string[]): string {
  const types = declared.length > 0 ? ` (${declared.join(', ')})` : '';
  // The newline ends a trailing `-- comment` of the statement before the semicolon.
  return `PREPARE ${name}${types} AS ${sql}\n`;
}

/**
 * Prepares the statements in one request; how many of them, from the first, the server
 * accepted before it stopped (all of them when none failed). Leaves none prepared.
 */
async function prepareBatch(
  client: pg.Client,
  batch: readonly { sql: string; parameters: number }[],
): Promise<number> {
  const names = batch.map(() => `schemapilot_impact_${++counter}`);
  const prepares = batch.map((u, k) =>
    prepareText(
      names[k]!,
      u.sql,
      Array.from({ length: u.parameters }, () => 'unknown'),
    ),
  );
  try {
    await client.query(`${prepares.join(';')};${names.map((n) => `DEALLOCATE ${n}`).join(';')}`);
    return batch.length;
  } catch (caught) {
    if (!(caught as { code?: string }).code) throw caught;
    const left = await client.query<{ name: string }>(
      'SELECT name FROM pg_prepared_statements WHERE name = ANY($1)',
      [names],
    );
    if (left.rows.length > 0) await client.query(left.rows.map((r) => `DEALLOCATE ${r.name}`).join(';'));
    return left.rows.length;
  }
}

async function prepareOne(client: pg.Client, sql: string, parameters: number): Promise<QueryError | null> {
  const declared: string[] = Array.from({ length: parameters }, () => 'unknown');
  for (;;) {
    const name = `schemapilot_impact_${++counter}`;
    try {
      await client.query(`${prepareText(name, sql, declared)};DEALLOCATE ${name}`);
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
