/**
 * What analysis asks a live database beyond the snapshot: exact sizes of the few tables a
 * migration touches (the snapshot's come from planner statistics, docs/decisions/0002) and the
 * volatility of functions called in defaults.
 */
import type pg from 'pg';
import type { LiveReader } from '../../core/dialect/live.js';
import type { Volatility } from '../../core/facts.js';
import type { SchemaSnapshot } from '../../core/snapshot.js';
import { pgClient } from './session.js';

/** Re-measure the given tables on disk; a table locked by someone else keeps its estimate. */
export async function measureTables(
  client: pg.Client,
  snapshot: SchemaSnapshot,
  tables: readonly string[],
): Promise<void> {
  const wanted = snapshot.tables.filter((t) => tables.includes(`${t.schema}.${t.name}`));
  if (wanted.length === 0) return;
  await client.query('BEGIN READ ONLY');
  try {
    // pg_relation_size takes ACCESS SHARE: never queue behind a migration holding ACCESS EXCLUSIVE.
    await client.query(`SET LOCAL lock_timeout = '500ms'`);
    for (const t of wanted) {
      await client.query('SAVEPOINT measure');
      try {
        const { rows } = await client.query<{ heap: string; idx: string; n: string | null }>(
          `SELECT pg_table_size(c.oid)::text AS heap, pg_indexes_size(c.oid)::text AS idx,
                  CASE WHEN c.reltuples >= 0 AND c.relpages > 0
                       THEN (c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int))::bigint::text
                  END AS n
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relname = $2`,
          [t.schema, t.name],
        );
        const row = rows[0];
        if (row) {
          t.stats.tableBytes = Number(row.heap);
          t.stats.indexBytes = Number(row.idx);
          // Rows scaled from the current size, as the planner does between ANALYZEs.
          if (row.n !== null) t.stats.rowEstimate = Number(row.n);
        }
        await client.query('RELEASE SAVEPOINT measure');
      } catch {
        await client.query('ROLLBACK TO SAVEPOINT measure');
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Volatility of the named functions (bare or schema-qualified), from pg_proc. */
export async function functionVolatility(
  client: pg.Client,
  names: readonly string[],
): Promise<Map<string, Volatility>> {
  const out = new Map<string, Volatility>();
  if (names.length === 0) return out;
  const bare = [...new Set(names.map((n) => n.slice(n.lastIndexOf('.') + 1)))];
  const { rows } = await client.query<{ name: string; schema: string; v: string }>(
    `SELECT p.proname AS name, n.nspname AS schema, max(p.provolatile) AS v
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE p.proname = ANY($1) GROUP BY 1, 2`,
    [bare],
  );
  const map: Record<string, Volatility> = { i: 'immutable', s: 'stable', v: 'volatile' };
  for (const row of rows) {
    const v = map[row.v];
    if (!v) continue;
    // Overloads and schemas may disagree: keep the worst for the bare name.
    const worse = (a: Volatility | undefined) =>
      a === 'volatile' || v === 'volatile'
        ? 'volatile'
        : a === 'stable' || v === 'stable'
          ? 'stable'
          : 'immutable';
    out.set(row.name, worse(out.get(row.name)));
    out.set(`${row.schema}.${row.name}`, v);
  }
  return out;
}

/** The live section of PostgreSQL's driver (core/dialect/live.ts). */
export const postgresLive: LiveReader = {
  measureTables: (session, snapshot, tables) => measureTables(pgClient(session), snapshot, tables),
  functionVolatility: (session, names) => functionVolatility(pgClient(session), names),
};
