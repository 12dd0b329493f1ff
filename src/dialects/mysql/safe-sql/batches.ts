/**
 * Updates in batches, each statement its own transaction (autocommit): row locks are held for
 * one batch, replicas keep up, and a failure loses one batch. MySQL has no loop outside stored
 * programs, so a loop is the runner's (steps/runner.ts repeats a batch until none is left) or,
 * in a migration file, the batch written out as many times as the table's rows need, followed by
 * a guard that fails the file when rows are still left (`backfillText`).
 *
 * Batches walk the primary key with a session variable as the keyset (`@sp_from`): each batch
 * reads a key range by the index, so the last batch costs what the first did; the walk ends at
 * the largest key there was when it started (`@sp_last`). A table without
 * a single-column key is done with `LIMIT` batches of the rows still matching `remaining`.
 * https://dev.mysql.com/doc/refman/8.0/en/update.html (ORDER BY and LIMIT on a single-table UPDATE)
 */
import type { BatchKey, SafeSql } from '../../../core/dialect/safe-sql.js';
import type { BackfillSpec } from '../../../core/plan.js';
import type { Quoter } from '../../../core/rule.js';
import type { Table } from '../../../core/snapshot.js';

const BATCH_ROWS = 10_000;

const INTEGER = /^(tinyint|smallint|mediumint|int|integer|bigint)\b/i;

function batchKey(table: Table | undefined): BatchKey {
  if (!table) return { primaryKey: [], type: null, column: 'id', integer: true };
  const primaryKey = table.primaryKey?.columns ?? [];
  const [pk] = primaryKey;
  if (pk === undefined || primaryKey.length > 1)
    return { primaryKey, type: null, column: pk ?? '', integer: false };
  const type = table.columns.find((c) => c.name === pk)?.type ?? null;
  return { primaryKey, type, column: pk, integer: INTEGER.test(type ?? '') };
}

/** A backfill as statements: run `setup`, then `batch` until `done` says so, then `guard`. */
export interface BackfillLoop {
  setup: string[];
  batch: string[];
  /** A query whose first column is 1 once the last batch ran; null: stop when a batch updates no row. */
  done: string | null;
  /** Fails (ER_SUBQUERY_NO_1_ROW) when a row still matches `remaining`; a no-op otherwise. */
  guard: string;
}

export function backfillLoop(q: Quoter, spec: BackfillSpec): BackfillLoop {
  const t = q.table(spec.table);
  const set = spec.set.map((s) => `${q.ident(s.column)} = ${s.expression}`).join(', ');
  const message = q.literal(`schemapilot: rows of ${spec.table} are still to backfill: run the step again`);
  const guard = `SELECT (SELECT ${message} UNION ALL SELECT NULL) AS unfinished FROM DUAL WHERE EXISTS (SELECT 1 FROM ${t} WHERE ${spec.remaining})`;
  const [key] = spec.keyColumns;
  if (spec.keyColumns.length !== 1 || key === undefined)
    return {
      setup: [],
      batch: [`UPDATE ${t} SET ${set} WHERE ${spec.remaining} LIMIT ${spec.batchSize}`],
      done: null,
      guard,
    };
  const k = q.ident(key);
  // Rows written after the step starts need no backfill (the default or the sync trigger gave
  // them their value): the walk ends at the last key there was, instead of chasing inserts.
  const after = `(@sp_from IS NULL OR ${k} > @sp_from) AND ${k} <= @sp_last`;
  return {
    setup: [`SET @sp_from = NULL, @sp_to = NULL, @sp_last = (SELECT MAX(${k}) FROM ${t})`],
    batch: [
      `SET @sp_to = (SELECT MAX(sp_key) FROM (SELECT ${k} AS sp_key FROM ${t} WHERE ${after} ORDER BY ${k} LIMIT ${spec.batchSize}) AS sp_batch)`,
      `UPDATE ${t} SET ${set} WHERE ${after} AND ${k} <= @sp_to AND (${spec.remaining})`,
      'SET @sp_from = COALESCE(@sp_to, @sp_from)',
    ],
    done: 'SELECT @sp_to IS NULL',
    guard,
  };
}

/**
 * The backfill as a migration file holds it: the batch repeated for the rows the table held when
 * planned, with a quarter more for rows added since, then the guard.
 */
export function backfillText(q: Quoter, spec: BackfillSpec): string[] {
  const loop = backfillLoop(q, spec);
  const rows = spec.estimatedRows ?? spec.batchSize;
  const times = Math.max(1, Math.ceil((rows * 1.25) / spec.batchSize) + 1);
  const pause = spec.pauseMs > 0 ? [`SELECT SLEEP(${(spec.pauseMs / 1000).toFixed(3)}) AS pause`] : [];
  const batches: string[] = [];
  for (let i = 0; i < times; i++) batches.push(...loop.batch, ...(i < times - 1 ? pause : []));
  return [...loop.setup, ...batches, loop.guard];
}

export const batches: SafeSql['batches'] = {
  key: batchKey,

  dml(q, parts, _table, _tableInfo, _major, options = {}) {
    // A single-table UPDATE or DELETE takes LIMIT; one with joins does not.
    if (parts.joins) return null;
    const isUpdate = parts.verb === 'UPDATE';
    if (isUpdate && (parts.where === null || options.stopsMatching !== true)) return null;
    return [
      ...(parts.returning ? ['-- RETURNING is left out: a batch loop returns nothing'] : []),
      `-- repeat until it reports 0 rows affected; each run commits on its own (autocommit):`,
      `${parts.head}${parts.where ? ` WHERE ${parts.where}` : ''} LIMIT ${BATCH_ROWS};`,
    ];
  },

  /** One batch of the backfill (repeat until it updates no row): the contract's single statement. */
  backfill(q, spec) {
    return `UPDATE ${q.table(spec.table)} SET ${spec.set.map((s) => `${q.ident(s.column)} = ${s.expression}`).join(', ')} WHERE ${spec.remaining} LIMIT ${spec.batchSize}`;
  },
};
