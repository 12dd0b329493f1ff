/**
 * The user's own UPDATE / DELETE rewritten to run in batches, each its own short transaction:
 * row locks are held for one batch, not for the whole table, replicas keep up, and a failure
 * loses one batch of work instead of all of it.
 */
import type { Quoter } from '../core/rule.js';
import type { Table } from '../core/snapshot.js';
import { dmlParts, type DmlParts } from './dml.js';

export const BATCH_ROWS = 10_000;

// Catalog spellings, plus the serial names a column added earlier in the migration carries.
const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint', 'smallserial', 'serial', 'bigserial']);

export interface BatchKey {
  column: string;
  /** Integer keys allow range batches that always end, whatever the statement does to the rows. */
  integer: boolean;
}

/**
 * The single-column primary key, `ctid` for a table without one, `id` when the table is unknown:
 * a guess, good for recognising a WHERE on the key but never written into SQL.
 */
export function batchKey(table: Table | undefined): BatchKey {
  if (!table) return { column: 'id', integer: true };
  const [pk, ...more] = table.primaryKey?.columns ?? [];
  if (pk === undefined || more.length > 0) return { column: 'ctid', integer: false };
  const type = table.columns.find((c) => c.name === pk)?.type ?? '';
  return { column: pk, integer: INTEGER_TYPES.has(type) };
}

/**
 * Batched form of an UPDATE or DELETE, as SQL lines; null when the statement cannot be taken
 * apart safely, or batched without knowing the table (then the caller says what to do in words).
 * `stopsMatching`: the caller wrote the WHERE so that an updated row no longer matches it (a
 * backfill of NULLs), which lets an unknown table be batched by row address.
 */
export function batchedDml(
  q: Quoter,
  sql: string,
  table: string,
  tableInfo: Table | undefined,
  major: number,
  options: { stopsMatching?: boolean } = {},
): string[] | null {
  const parts = dmlParts(sql);
  if (!parts) return null;
  if (!tableInfo) return byRowAddress(parts, major, options.stopsMatching === true);
  const key = batchKey(tableInfo);
  const keyRef = parts.joins ? `${parts.reference}.${q.ident(key.column)}` : q.ident(key.column);
  const predicate = parts.where ? `(${parts.where}) AND ` : '';
  const notes = parts.returning ? ['-- RETURNING is left out: a batch loop returns nothing'] : [];
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

/**
 * Without the table's key: batches picked by row address (ctid), until no row matches. That ends
 * only when a processed row stops matching: always for DELETE, for UPDATE only when the caller
 * says so (the user's own WHERE may keep matching, and the loop would never end). The predicate
 * is checked again on the rows themselves, so a ctid that also exists in another partition of a
 * partitioned table only ever touches a row the statement meant anyway.
 */
function byRowAddress(parts: DmlParts, major: number, stopsMatching: boolean): string[] | null {
  if (parts.joins) return null;
  if (parts.verb === 'UPDATE' && (parts.where === null || !stopsMatching)) return null;
  const pick = `SELECT ctid FROM ${parts.relation}${parts.where ? ` WHERE ${parts.where}` : ''} LIMIT ${BATCH_ROWS}`;
  const recheck = parts.where ? `(${parts.where}) AND ` : '';
  const notes = parts.returning ? ['-- RETURNING is left out: a batch loop returns nothing'] : [];
  if (major < 11) {
    return [
      ...notes,
      '-- repeat until it reports 0 rows, each run in its own transaction:',
      `${parts.head} WHERE ${recheck}ctid = ANY (ARRAY(${pick}));`,
    ];
  }
  return [
    ...notes,
    `-- run on its own, outside any transaction block (one transaction per ${BATCH_ROWS} rows):`,
    'DO $batch$',
    'DECLARE',
    '  sp_rows tid[];',
    'BEGIN',
    '  LOOP',
    `    sp_rows := ARRAY(${pick});`,
    '    EXIT WHEN cardinality(sp_rows) = 0;',
    `    ${parts.head} WHERE ${recheck}ctid = ANY (sp_rows);`,
    '    COMMIT;',
    '  END LOOP;',
    'END',
    '$batch$;',
  ];
}
