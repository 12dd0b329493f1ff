/**
 * Updates in batches on SQLite: each batch its own transaction (autocommit), so the write lock is
 * held for one batch and other writers get in between. SQLite's UPDATE takes LIMIT only when
 * compiled with SQLITE_ENABLE_UPDATE_DELETE_LIMIT, which the usual builds are not, so a batch
 * picks its rows by rowid in a subquery. Nothing loops in plain SQL: the step runner repeats a
 * batch until it changes no row.
 * https://www.sqlite.org/lang_update.html#update_limit, https://www.sqlite.org/lang_createtable.html#rowid
 */
import type { BatchKey, SafeSql } from '../../../core/dialect/safe-sql.js';
import type { Table } from '../../../core/snapshot.js';

const BATCH_ROWS = 10_000;

function batchKey(table: Table | undefined): BatchKey {
  if (!table) return { primaryKey: [], type: null, column: 'rowid', integer: true };
  const primaryKey = table.primaryKey?.columns ?? [];
  const [pk] = primaryKey;
  const type =
    pk !== undefined && primaryKey.length === 1
      ? (table.columns.find((c) => c.name === pk)?.type ?? null)
      : null;
  // An INTEGER PRIMARY KEY is the rowid; any other table but a WITHOUT ROWID one has a rowid too.
  if (type !== null && /^INTEGER$/i.test(type.trim()) && pk !== undefined)
    return { primaryKey, type, column: pk, integer: true };
  return { primaryKey, type, column: 'rowid', integer: true };
}

export const batches: SafeSql['batches'] = {
  key: batchKey,

  dml(_q, parts, table) {
    if (parts.joins) return null;
    const target = parts.reference;
    const where = parts.where ? ` WHERE ${parts.where}` : '';
    // The rows of one batch, found by rowid: a WITHOUT ROWID table has none to find them by.
    const head = parts.head.trimEnd();
    return [
      ...(parts.returning ? ['-- RETURNING is left out: a batch loop returns nothing'] : []),
      `-- repeat until it changes 0 rows (SELECT changes()); each run commits on its own:`,
      `${head} WHERE rowid IN (SELECT rowid FROM ${target}${where} LIMIT ${BATCH_ROWS});`,
      `-- (${table} must have a rowid: a WITHOUT ROWID table is batched by its primary key instead)`,
    ];
  },

  backfill(q, spec) {
    const t = q.table(spec.table);
    const set = spec.set.map((s) => `${q.ident(s.column)} = ${s.expression}`).join(', ');
    return `UPDATE ${t} SET ${set} WHERE rowid IN (SELECT rowid FROM ${t} WHERE ${spec.remaining} LIMIT ${spec.batchSize})`;
  },
};
