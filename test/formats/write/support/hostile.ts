/**
 * A hand-built plan whose SQL carries everything that a writer must quote or escape for its
 * tool: quotes of every kind, backslashes, `?` (Knex bind markers), `:name` (SQLAlchemy bind
 * parameters), `%` (psycopg), `${x}` and backticks (template literals), `{name}`
 * (node-pg-migrate templates), dollar quotes, `"""`, comment markers, a semicolon and a line
 * break inside a literal, non-ASCII text, and identifiers that end with a double quote. After
 * the tool ran the files, the server must hold exactly this text.
 */
import type pg from 'pg';
import type { Plan, PlanStep } from '../../../../src/core/plan.js';
import { DEFAULT_PLAN_OPTIONS } from '../../../../src/core/plan.js';
import { DEFAULT_RETRY } from '../../../../src/planner/plan.js';

export const HOSTILE_TEXT = [
  `it's "double" ''' """ \\ back\\slash \\n ? ?| :name :1 (:x) %s %% 100%`,
  '${x} `tick` {name} $$ $fn$ */ /* -- not a comment ; still one literal',
  'é ✓ 🐘 "',
].join('\n');

/** PostgreSQL string literal (standard_conforming_strings is on: backslashes are plain). */
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** An index name that ends with a double quote: `users_email_"q"`. */
export const HOSTILE_INDEX = 'users_email_"q"';
const indexIdent = `"${HOSTILE_INDEX.replace(/"/g, '""')}"`;

function step(id: string, sql: string[], rollback: string[], transactional: boolean): PlanStep {
  return {
    id,
    phase: 'expand',
    // A line break and U+2028 in a description must not end the comment it is written in.
    description: `Hostile ${id}: a "quoted" name with a line\nbreak and a \u2028separator */ """`,
    asWritten: false,
    sql,
    transactional,
    lock: null,
    estimatedMs: 0,
    lockTimeoutMs: 2000,
    statementTimeoutMs: 30_000,
    retry: DEFAULT_RETRY,
    rollback,
    reversible: true,
    destroysData: false,
    preChecks: [],
    postChecks: [],
    source: 0,
  };
}

export const HOSTILE_PLAN: Plan = {
  formatVersion: 1,
  dialect: 'postgres',
  serverMajor: 15,
  sourceSchemaHash: null,
  options: DEFAULT_PLAN_OPTIONS,
  sources: [],
  steps: [
    step(
      'expand-1',
      [`COMMENT ON TABLE users IS ${literal(HOSTILE_TEXT)}`],
      ['COMMENT ON TABLE users IS NULL'],
      true,
    ),
    step(
      'expand-2',
      [`CREATE INDEX CONCURRENTLY ${indexIdent} ON users (email)`],
      [`DROP INDEX CONCURRENTLY ${indexIdent}`],
      false,
    ),
    step(
      'expand-3',
      [
        `CREATE FUNCTION hostile_text() RETURNS text LANGUAGE sql IMMUTABLE AS $body$SELECT ${literal(HOSTILE_TEXT)}$body$`,
      ],
      ['DROP FUNCTION hostile_text()'],
      true,
    ),
  ],
  rollbackComplexity: 1,
  recommendedApproach: '',
  warnings: [],
};

/** What the server holds after the hostile plan ran: each value must equal HOSTILE_TEXT or the name. */
export async function hostileResult(
  client: pg.Client,
): Promise<{ comment: string | null; functionResult: string | null; index: string | null }> {
  const { rows } = await client.query<{ comment: string | null; fn: string | null; index: string | null }>(
    `SELECT obj_description('users'::regclass, 'pg_class') AS comment,
            (SELECT hostile_text()) AS fn,
            (SELECT indexname FROM pg_indexes WHERE tablename = 'users' AND indexname = $1) AS index`,
    [HOSTILE_INDEX],
  );
  const row = rows[0];
  return { comment: row?.comment ?? null, functionResult: row?.fn ?? null, index: row?.index ?? null };
}
