/**
 * The user's own UPDATE / DELETE rewritten to run in batches, each its own short transaction:
 * row locks are held for one batch, not for the whole table, replicas keep up, and a failure
 * loses one batch of work instead of all of it.
 */
import type { Quoter } from '../core/rule.js';
import type { Table } from '../core/snapshot.js';
import { dmlParts } from './dml.js';

export const BATCH_ROWS = 10_000;

// Catalog spellings, plus the serial names a column added earlier in the migration carries.
const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint', 'smallserial', 'serial', 'bigserial']);

export interface BatchKey {
  column: string;
  /** Integer keys allow range batches that always end, whatever the statement does to the rows. */
  integer: boolean;
  /** The table is unknown, so the key is a guess the user must check. */
  assumed: boolean;
}

/** The single-column primary key, `ctid` for a table without one, `id` when the table is unknown. */
export function batchKey(table: Table | undefined): BatchKey {
  if (!table) return { column: 'id', integer: true, assumed: true };
  const [pk, ...more] = table.primaryKey?.columns ?? [];
  if (pk === undefined || more.length > 0) return { column: 'ctid', integer: false, assumed: false };
  const type = table.columns.find((c) => c.name === pk)?.type ?? '';
  return { column: pk, integer: INTEGER_TYPES.has(type), assumed: false };
}

/**
 * Batched form of an UPDATE or DELETE, as SQL lines; null when the statement cannot be taken
 * apart safely (then the caller says what to do in words).
 */
export function batchedDml(
  q: Quoter,
  sql: string,
  table: string,
  tableInfo: Table | undefined,
  major: number,
): string[] | null {
  const parts = dmlParts(sql);
  if (!parts) return null;
  const key = batchKey(tableInfo);
  const keyRef = parts.joins ? `${parts.reference}.${q.ident(key.column)}` : q.ident(key.column);
  const predicate = parts.where ? `(${parts.where}) AND ` : '';
  const notes = [
    ...(key.assumed ? [`-- assumes ${table} has an integer primary key ${key.column}; use yours`] : []),
    ...(parts.returning ? ['-- RETURNING is left out: a batch loop returns nothing'] : []),
  ];
  // PostgreSQL 11+ lets a DO block COMMIT between batches when it runs outside a transaction block.
  if (key.integer && major >= 11) {
    return [
      ...notes,
      `-- run on its own, outside any transaction block (one transaction per ${BATCH_ROWS} keys):`,
      'DO $batch$',
      'DECLARE',
      '  sp_from bigint;',
      '  sp_max bigint;',
      'BEGIN',
      `  SELECT min(${q.ident(key.column)}), max(${q.ident(key.column)}) INTO sp_from, sp_max FROM ${q.table(table)};`,
      '  WHILE sp_from <= sp_max LOOP',
      `    ${parts.head} WHERE ${predicate}${keyRef} >= sp_from AND ${keyRef} < sp_from + ${BATCH_ROWS};`,
      `    sp_from := sp_from + ${BATCH_ROWS};`,
      '    COMMIT;',
      '  END LOOP;',
      'END',
      '$batch$;',
    ];
  }
  // Without range batches: pick a batch of keys still matching, until none match. With joins the
  // predicate may name other tables, which the key subquery cannot see; an UPDATE without WHERE
  // would pick the same rows again and never end.
  const isUpdate = parts.verb === 'UPDATE';
  if (parts.joins || (isUpdate && parts.where === null)) return null;
  return [
    ...notes,
    ...(isUpdate ? ['-- the WHERE must stop matching a row once it is updated, or this never ends'] : []),
    `-- repeat until it reports 0 rows, each run in its own transaction:`,
    `${parts.head} WHERE ${keyRef} IN (SELECT ${parts.reference}.${q.ident(key.column)} FROM ${parts.relation}${parts.where ? ` WHERE ${parts.where}` : ''} LIMIT ${BATCH_ROWS});`,
  ];
}
