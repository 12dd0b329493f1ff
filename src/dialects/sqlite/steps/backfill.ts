/**
 * One batch of a backfill on SQLite: the next `batchSize` rows still to do (`remaining`), in key
 * order, updated in one statement. Run again until it changes nothing; each run is its own
 * transaction, so the database's write lock is held for one batch at a time.
 * Row values (`(a, b) IN (SELECT …)`) need SQLite 3.15 (https://www.sqlite.org/rowvalue.html).
 */
import type { BackfillSpec } from '../../../core/plan.js';
import { quoteIdent } from '../quote.js';

export function backfillBatch(spec: BackfillSpec): string {
  const table = quoteIdent(spec.table.slice(spec.table.indexOf('.') + 1));
  const keys = spec.keyColumns.map(quoteIdent);
  const key = keys.length === 1 ? (keys[0] as string) : `(${keys.join(', ')})`;
  const set = spec.set.map((s) => `${quoteIdent(s.column)} = ${s.expression}`).join(', ');
  return `UPDATE ${table} SET ${set} WHERE ${key} IN (SELECT ${keys.join(', ')} FROM ${table} WHERE ${spec.remaining} ORDER BY ${keys.join(', ')} LIMIT ${spec.batchSize})`;
}
