/**
 * A plan's backfill run by the deploy itself, batch by batch, instead of the plan's DO block:
 * each batch is its own short transaction with a lock_timeout, progress (rows, keyset position)
 * is written to the journal in the batch's transaction, so a rerun resumes after the last
 * committed batch, and the pause grows while other sessions wait on our row locks or replicas
 * lag behind.
 */
import type pg from 'pg';
import type { BackfillSpec } from '../core/plan.js';
import { quoteIdent, quoteQualified } from '../dialects/postgres/quote.js';
import type { BackfillProgress } from '../core/deploy.js';

export interface BackfillOptions {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** Pause longer while replicas lag more than this (ms); 0 disables the check. */
  maxReplicaLagMs: number;
  /** True when sessions waited on the last batch (from the watchdog). */
  othersWaited: () => boolean;
  /** Called inside each batch's transaction, after the batch: write the progress there. */
  record: (progress: BackfillProgress) => Promise<void>;
  /** Called once a batch has committed: the progress a retry may resume from. */
  committed?: (progress: BackfillProgress) => void;
  onProgress?: (progress: BackfillProgress & { estimatedTotal: number | null }) => void | Promise<void>;
}

const MAX_PAUSE_MS = 5_000;
/** A batch should commit within this; application writes to its rows wait that long. */
const TARGET_BATCH_MS = 40;
const START_BATCH_ROWS = 500;
const MIN_BATCH_ROWS = 50;

export async function runBackfill(
  client: pg.Client,
  spec: BackfillSpec,
  resumeFrom: BackfillProgress | undefined,
  options: BackfillOptions,
): Promise<BackfillProgress> {
  const table = quoteQualified(spec.table);
  const set = spec.set.map((s) => `${quoteIdent(s.column)} = ${s.expression}`).join(', ');
  const keys = spec.keyColumns.map(quoteIdent);
  let progress: BackfillProgress = resumeFrom
    ? { ...resumeFrom }
    : { rows: 0, batches: 0, lastKey: null, rowsPerSecond: 0, throttled: 0 };
  const estimatedTotal = await estimateRemaining(client, spec.table);
  const started = Date.now();
  const rowsAtStart = progress.rows;
  let pause = spec.pauseMs;
  // Rows an application UPDATE touches wait until our batch commits: batches are sized by
  // time, not rows. Start small, grow while batches are fast and nobody waits, shrink when a
  // batch runs long or someone waited on it (bench/RESULTS.md, "deploy").
  let size = Math.min(spec.batchSize, START_BATCH_ROWS);
  for (;;) {
    const batchStarted = Date.now();
    await client.query('BEGIN');
    let next: BackfillProgress = progress;
    try {
      await client.query(`SET LOCAL lock_timeout = ${Math.round(options.lockTimeoutMs)}`);
      await client.query(`SET LOCAL statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
      const batch = await runBatch(client, table, set, keys, spec, progress.lastKey, size);
      if (batch.rows > 0) {
        const seconds = (Date.now() - started) / 1000;
        const rows = progress.rows + batch.rows;
        next = {
          ...progress,
          rows,
          batches: progress.batches + 1,
          lastKey: batch.lastKey,
          rowsPerSecond: seconds > 0 ? Math.round((rows - rowsAtStart) / seconds) : 0,
        };
        await options.record(next);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    // Only now is the batch real: a rolled-back batch must be redone by the retry.
    if (next === progress) return progress;
    progress = next;
    options.committed?.(progress);
    await options.onProgress?.({ ...progress, estimatedTotal });
    const took = Date.now() - batchStarted;
    const waited = options.othersWaited();
    if (waited || took > TARGET_BATCH_MS) size = Math.max(MIN_BATCH_ROWS, Math.floor(size / 2));
    else if (took < TARGET_BATCH_MS / 2) size = Math.min(spec.batchSize, size * 2);
    // Back off while the application waits on our row locks or replicas fall behind; recover
    // gently once they do not.
    if (waited || (await replicaLagMs(client)) > options.maxReplicaLagMs) {
      progress.throttled++;
      pause = Math.min(MAX_PAUSE_MS, Math.max(pause * 2, 50));
    } else {
      pause = Math.max(spec.pauseMs, Math.floor(pause / 2));
    }
    if (pause > 0) await new Promise((r) => setTimeout(r, pause));
  }
}

async function runBatch(
  client: pg.Client,
  table: string,
  set: string,
  keys: string[],
  spec: BackfillSpec,
  lastKey: string | null,
  limit: number,
): Promise<{ rows: number; lastKey: string | null }> {
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

async function estimateRemaining(client: pg.Client, table: string): Promise<number | null> {
  const { rows } = await client.query<{ n: string | null }>(
    `SELECT reltuples::bigint::text AS n FROM pg_catalog.pg_class WHERE oid = to_regclass($1)`,
    [quoteQualified(table)],
  );
  const n = Number(rows[0]?.n ?? -1);
  return n >= 0 ? n : null;
}

async function replicaLagMs(client: pg.Client): Promise<number> {
  try {
    const { rows } = await client.query<{ ms: string | null }>(
      `SELECT (max(extract(epoch FROM replay_lag)) * 1000)::bigint::text AS ms FROM pg_catalog.pg_stat_replication`,
    );
    return Number(rows[0]?.ms ?? 0);
  } catch {
    return 0; // not allowed to read it (no pg_monitor): do not throttle on what we cannot see
  }
}
