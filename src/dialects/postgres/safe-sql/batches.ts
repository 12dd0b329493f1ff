/**
 * Updates and deletes in batches, each its own short transaction: row locks are held for one
 * batch, not for the whole table, replicas keep up, and a failure loses one batch of work
 * instead of all of it. Two forms: the user's own UPDATE / DELETE rewritten for a rule's safe
 * alternative (`dml`), and a plan's backfill (`backfill`), which pauses between batches and
 * continues where it stopped after a crash. PostgreSQL 11+ lets a DO block COMMIT between
 * batches when it runs outside a transaction block.
 * https://www.postgresql.org/docs/current/plpgsql-transactions.html
 */
import type { BatchKey, DmlParts, SafeSql } from '../../../core/dialect/safe-sql.js';
import type { Table } from '../../../core/snapshot.js';
import { dollarQuote } from '../quote.js';

const BATCH_ROWS = 10_000;

// Catalog spellings, plus the serial names a column added earlier in the migration carries.
const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint', 'smallserial', 'serial', 'bigserial']);

/** The single-column primary key; `ctid` (the row address) without one; `id` when the table is unknown. */
function batchKey(table: Table | undefined): BatchKey {
  if (!table) return { primaryKey: [], type: null, column: 'id', integer: true };
  const primaryKey = table.primaryKey?.columns ?? [];
  const [pk] = primaryKey;
  if (pk === undefined || primaryKey.length > 1)
    return { primaryKey, type: null, column: 'ctid', integer: false };
  const type = table.columns.find((c) => c.name === pk)?.type ?? null;
  return { primaryKey, type, column: pk, integer: INTEGER_TYPES.has(type ?? '') };
}

export const batches: SafeSql['batches'] = {
  key: batchKey,

  dml(q, parts, table, tableInfo, major, options = {}) {
    if (!tableInfo) return byRowAddress(parts, major, options.stopsMatching === true);
    const key = batchKey(tableInfo);
    const keyRef = parts.joins ? `${parts.reference}.${q.ident(key.column)}` : q.ident(key.column);
    const predicate = parts.where ? `(${parts.where}) AND ` : '';
    const notes = parts.returning ? ['-- RETURNING is left out: a batch loop returns nothing'] : [];
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
    // Without range batches: pick a batch of keys still matching, until none match. With joins
    // the predicate may name other tables, which the key subquery cannot see; an UPDATE without
    // WHERE would pick the same rows again and never end.
    const isUpdate = parts.verb === 'UPDATE';
    if (parts.joins || (isUpdate && parts.where === null)) return null;
    return [
      ...notes,
      ...(isUpdate ? ['-- the WHERE must stop matching a row once it is updated, or this never ends'] : []),
      `-- repeat until it reports 0 rows, each run in its own transaction:`,
      `${parts.head} WHERE ${keyRef} IN (SELECT ${parts.reference}.${q.ident(key.column)} FROM ${parts.relation}${parts.where ? ` WHERE ${parts.where}` : ''} LIMIT ${BATCH_ROWS});`,
    ];
  },

  /**
   * A DO block that updates `batchSize` rows at a time in key order, commits after each batch
   * (11+) and pauses between batches. Rows still to do are found with `remaining`, so a rerun
   * after a crash continues where it stopped. Without a single-column key it batches by ctid.
   */
  backfill(q, spec, keyType, major) {
    const t = q.table(spec.table);
    const set = spec.set.map((s) => `${q.ident(s.column)} = ${s.expression}`).join(', ');
    const pause = (spec.pauseMs / 1000).toFixed(3);
    const commit = major >= 11 ? '\n    COMMIT;' : '';
    const [key] = spec.keyColumns;
    if (spec.keyColumns.length === 1 && key !== undefined && keyType) {
      const k = q.ident(key);
      return doBlock([
        'DECLARE',
        `  last_key ${keyType};`,
        '  n bigint;',
        'BEGIN',
        '  LOOP',
        `    WITH batch AS (SELECT ${k} FROM ${t} WHERE (last_key IS NULL OR ${k} > last_key) AND (${spec.remaining}) ORDER BY ${k} LIMIT ${spec.batchSize}),`,
        `         done AS (UPDATE ${t} AS target SET ${set} FROM batch WHERE target.${k} = batch.${k} RETURNING target.${k})`,
        `    SELECT count(*), max(${k}) INTO n, last_key FROM done;`,
        `    EXIT WHEN n = 0;${commit}`,
        `    PERFORM pg_sleep(${pause});`,
        '  END LOOP;',
        'END ',
      ]);
    }
    return doBlock([
      'DECLARE',
      '  n bigint;',
      'BEGIN',
      '  LOOP',
      `    UPDATE ${t} SET ${set} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${t} WHERE ${spec.remaining} LIMIT ${spec.batchSize}));`,
      '    GET DIAGNOSTICS n = ROW_COUNT;',
      `    EXIT WHEN n = 0;${commit}`,
      `    PERFORM pg_sleep(${pause});`,
      '  END LOOP;',
      'END ',
    ]);
  },
};

/** `DO $tag$ … $tag$`, the tag chosen so that no name or literal in the body can close it. */
function doBlock(lines: readonly string[]): string {
  return `DO ${dollarQuote(`\n${lines.join('\n')}`)}`;
}

/**
 * Without the table's key: batches picked by row address (ctid), until no row matches. That
 * ends only when a processed row stops matching: always for DELETE, for UPDATE only when the
 * caller says so (the user's own WHERE may keep matching, and the loop would never end). The
 * predicate is checked again on the rows themselves, so a ctid that also exists in another
 * partition of a partitioned table only ever touches a row the statement meant anyway.
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
