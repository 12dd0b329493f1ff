import { defineRule, type RuleMeta } from '../core/rule.js';
import { blockedTraffic } from '../core/locks.js';
import type { Table } from '../core/snapshot.js';
import { batchedDml, dmlParts } from './dml.js';
import { droppedOnNewTable } from './new-table.js';
import { missingFact } from './sql.js';

/**
 * A backfill (UPDATE, DELETE, INSERT … SELECT) in the same transaction as DDL keeps the DDL's
 * locks, often ACCESS EXCLUSIVE, for as long as the backfill runs: the table is unusable for
 * minutes instead of milliseconds, and a failure rolls back the DDL too. On its own, an UPDATE
 * or DELETE over a large table in one statement still holds every touched row lock until it
 * commits, blocks writers of those rows, bloats the table and delays replicas. Batches of a
 * few thousand rows, each committed, avoid all of that.
 * https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-ROWS
 */
const meta: RuleMeta = {
  id: 'backfill-in-ddl-transaction',
  category: 'transactions',
  severity: 'error',
  description:
    'A backfill runs in the same transaction as DDL, or updates a large table in one unbatched statement',
  kinds: ['dml'],
  scalesWithSize: true,
  skipNewTables: true,
  dialects: ['postgres'],
};

export default defineRule({
  meta,
  check(ctx) {
    const {
      change,
      transaction,
      isNew,
      statement,
      q,
      major,
      largeTableRows,
      schemaKnown,
      table: tableOf,
      sql,
    } = ctx;
    if (!sql) return [];
    if (change.kind !== 'dml') return [];
    const { operation, table } = change;
    const info = tableOf(table);
    const copies = operation === 'insert' && /\bSELECT\b/i.test(statement.sql);
    if (operation === 'insert' && !copies) return [];
    // Made only for a finding that is kept: reading the statement apart is the costly part.
    let batchedMemo: string[] | null | undefined;
    const batched = (): string[] | null => {
      if (batchedMemo === undefined)
        batchedMemo =
          operation === 'update' || operation === 'delete'
            ? batchedDml(sql, q, statement.sql, table, info, major)
            : null;
      return batchedMemo;
    };
    const asWritten = `${statement.sql.trim()};`;

    const locks = transaction.ddlThisTransaction
      ? transaction.heldLocks.filter(
          (l) => !isNew(l.table) && (blockedTraffic(l.mode).reads || blockedTraffic(l.mode).writes),
        )
      : [];
    if (transaction.inTransaction && locks.length > 0) {
      const held = locks.map((l) => `${l.mode} on ${l.table}`).join(', ');
      // How much the held locks matter depends on the largest table they block.
      const rowsOf = (t: string) => tableOf(t)?.stats.rowEstimate ?? Number.MAX_SAFE_INTEGER;
      const blocked = [...locks].sort((a, b) => rowsOf(b.table) - rowsOf(a.table))[0]?.table;
      return [
        {
          message: `This ${operation.toUpperCase()} runs in the same transaction as earlier DDL, which still holds ${held}: those locks stay held until the backfill commits, and a failure rolls back the DDL too.`,
          safeAlternative: [
            '-- move it to a migration of its own that runs after this one commits, with no DDL in it:',
            ...(batched() ?? [asWritten]),
          ].join('\n'),
          ...(blocked ? { table: blocked } : {}),
        },
      ];
    }

    if (operation !== 'update' && operation !== 'delete') return [];
    // This finding is on the statement's own table: dropped when that table is new.
    if (droppedOnNewTable(meta, ctx)) return [];
    const rows = info ? (info.stats.rowEstimate ?? Math.round(info.stats.tableBytes / 100)) : null;
    if (rows !== null && rows < largeTableRows) return [];
    const where = dmlParts(statement.sql)?.where ?? null;
    if (where !== null && fewRows(where, info, sql.batches.key(info).column)) return [];
    return [
      {
        message:
          `This ${operation.toUpperCase()} ${where === null ? 'touches every row' : 'may touch many rows'} of ${table} (${rows === null ? 'size unknown' : `~${rows.toLocaleString('en')} rows`}) in one transaction: it holds each touched row's lock until the end, blocks writers of those rows, bloats the table and delays replicas.` +
          // Batches of an unknown table can only be cut by row address, which ends only if
          // an updated row stops matching: not something to promise for the user's UPDATE.
          (!batched() && !info
            ? ` ${missingFact(schemaKnown, `the primary key of ${table} to batch it`)}`
            : ''),
        safeAlternative: batched()?.join('\n') ?? null,
        // With a WHERE it may touch few rows: a warning, not a verdict.
        ...(where !== null ? { severity: 'warning' as const } : {}),
      },
    ];
  },
});

/**
 * Whether the predicate pins a few rows: equality / IN on the key or a uniquely indexed column,
 * a key range bounded on both sides, or a LIMIT (a batch already).
 */
function fewRows(where: string, info: Table | undefined, key: string): boolean {
  if (/\bLIMIT\b/i.test(where)) return true;
  const unique = (info?.indexes ?? [])
    .filter((i) => i.unique && i.columns.length === 1)
    .map((i) => i.columns[0]);
  const columns = [...new Set([key, ...unique])].filter((c): c is string => c !== undefined);
  return columns.some((c) => {
    const name = `(?:^|[^\\w"])"?${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*`;
    if (new RegExp(`${name}(=|\\bIN\\b|\\bBETWEEN\\b)`, 'i').test(where)) return true;
    return new RegExp(`${name}(<|<=)`).test(where) && new RegExp(`${name}(>|>=)`).test(where);
  });
}
