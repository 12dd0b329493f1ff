/** Database fixtures and server-side measurements shared by the analyze suites. */
import type pg from 'pg';
import { expect } from 'vitest';
import type { JsonReport } from './support.js';

export const VOLATILE = 'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()';

/** The brief's users table (as its SQLAlchemy inspector shows it), with production-like rows. */
export const USERS_SQL = `
  CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    name text,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  INSERT INTO users (email, name)
    SELECT 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 120000) AS g;
  ANALYZE users;
`;

/** Run `sql` in a transaction that is rolled back: the lock modes it took on users, and whether it rewrote it. */
export async function onServer(
  client: pg.Client,
  sql: string,
): Promise<{ modes: string[]; rewrites: boolean }> {
  await client.query('BEGIN');
  try {
    const before = await client.query<{ f: string }>(`SELECT pg_relation_filenode('users')::text AS f`);
    await client.query(sql);
    const after = await client.query<{ f: string }>(`SELECT pg_relation_filenode('users')::text AS f`);
    const locks = await client.query<{ mode: string }>(
      `SELECT mode FROM pg_locks WHERE relation = 'users'::regclass AND pid = pg_backend_pid()`,
    );
    return {
      modes: locks.rows.map((r) =>
        r.mode
          .replace(/Lock$/, '')
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .toUpperCase(),
      ),
      rewrites: before.rows[0]?.f !== after.rows[0]?.f,
    };
  } finally {
    await client.query('ROLLBACK');
  }
}

/** The safe 3-step plan: nullable column, batched backfill, NOT NULL proven by a validated CHECK. */
export function expectThreeStepPlan(report: JsonReport, column: string): void {
  const plan = report.assessment.recommended_approach;
  const steps = [
    new RegExp(`ADD COLUMN ${column} \\w+;`),
    // the backfill, in the plan's batched form
    new RegExp(`UPDATE users (AS target )?SET ${column} = `),
    new RegExp(`CHECK \\(${column} IS NOT NULL\\) NOT VALID`),
    /VALIDATE CONSTRAINT/,
  ].map((step) => plan.search(step));
  expect(
    steps.every((at) => at >= 0),
    plan,
  ).toBe(true);
  expect([...steps].sort((a, b) => a - b)).toEqual(steps);
}
