/**
 * One batch of a deploy-run backfill in PostgreSQL: its own short transaction with SET LOCAL
 * timeouts, keyset-paginated on the primary key (by ctid without one), the keyset position as
 * JSON text; and what the pacing reads (reltuples, replica lag). The pacing itself is
 * src/deploy/backfill.ts's.
 */
import type pg from 'pg';
import type { BackfillDriver } from '../../../core/dialect/deploy.js';
import type { BackfillSpec } from '../../../core/plan.js';
import { quoteIdent, quoteQualified } from '../quote.js';
import { pgClient } from '../session.js';

export const postgresBackfill: BackfillDriver = {
  async estimateRows(session, table) {
    const { rows } = await pgClient(session).query<{ n: string | null }>(
      `SELECT reltuples::bigint::text AS n FROM pg_catalog.pg_class WHERE oid = to_regclass($1)`,
      [quoteQualified(table)],
    );
    const n = Number(rows[0]?.n ?? -1);
    return n >= 0 ? n : null;
  },

  async batch(session, spec, at, inside) {
    const client = pgClient(session);
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL lock_timeout = ${Math.round(at.lockTimeoutMs)}`);
      await client.query(`SET LOCAL statement_timeout = ${Math.round(at.statementTimeoutMs)}`);
      const done = await runBatch(client, spec, at.lastKey, at.limit);
      if (done.rows > 0) await inside(done);
      await client.query('COMMIT');
      return done;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  },

  async replicaLagMs(session) {
    try {
      const { rows } = await pgClient(session).query<{ ms: string | null }>(
        `SELECT (max(extract(epoch FROM replay_lag)) * 1000)::bigint::text AS ms FROM pg_catalog.pg_stat_replication`,
      );
      return Number(rows[0]?.ms ?? 0);
    } catch {
      return 0; // not allowed to read it (no pg_monitor): do not throttle on what we cannot see
    }
  },
};

async function runBatch(
  client: pg.Client,
  spec: BackfillSpec,
  lastKey: string | null,
  limit: number,
): Promise<{ rows: number; lastKey: string | null }> {
  const table = quoteQualified(spec.table);
  const set = spec.set.map((s) => `${quoteIdent(s.column)} = ${s.expression}`).join(', ');
  const keys = spec.keyColumns.map(quoteIdent);
  if (keys.length === 0) {
    // No primary key: batches by ctid; the `remaining` predicate alone says what is left.
    const { rowCount } = await client.query(
      `UPDATE ${table} SET ${set} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE (${spec.remaining}) LIMIT ${limit}))`,
    );
    return { rows: rowCount ?? 0, lastKey: null };
  }
  const k = keys.length === 1 ? (keys[0] as string) : `(${keys.join(', ')})`;
  const target = keys.length === 1 ? `target.${k}` : `(${keys.map((c) => `target.${c}`).join(', ')})`;
  const previous: string[] = lastKey === null ? [] : (JSON.parse(lastKey) as string[]);
  // The keyset position travels as text parameters; the server casts them to the key's types.
  const after =
    previous.length === 0
      ? 'true'
      : keys.length === 1
        ? `${k} > $1`
        : `${k} > (${previous.map((_, i) => `$${i + 1}`).join(', ')})`;
  const { rows } = await client.query<{ n: string; last: string | null }>(
    `WITH batch AS (SELECT ${keys.join(', ')} FROM ${table} WHERE ${after} AND (${spec.remaining}) ORDER BY ${keys.join(', ')} LIMIT ${limit}),
          done AS (UPDATE ${table} AS target SET ${set} FROM batch WHERE ${target} = ${keys.length === 1 ? `batch.${k}` : `(${keys.map((c) => `batch.${c}`).join(', ')})`} RETURNING ${keys.map((c) => `target.${c}`).join(', ')})
     SELECT count(*)::text AS n,
            (SELECT json_build_array(${keys.map((c) => `${c}::text`).join(', ')})::text FROM done ORDER BY ${keys.join(', ')} DESC LIMIT 1) AS last
     FROM done`,
    previous,
  );
  const row = rows[0];
  return { rows: Number(row?.n ?? 0), lastKey: row?.last ?? lastKey };
}
