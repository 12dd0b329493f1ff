/**
 * The pattern of synthesized rows, whatever the dialect writes them with: how often a nullable
 * column is NULL and how often a non-unique one repeats. Imperfect on purpose, like real data:
 * it is what makes `SET NOT NULL` and `ADD UNIQUE` fail on the scratch copy when they would on
 * a real database.
 */
import type { NullFraction } from '../../core/dialect/validation.js';
import type { Table } from '../../core/snapshot.js';
import { tableKey } from './insertion-order.js';

/**
 * Every nullable column is NULL in one row out of NULL_PERIOD (which row depends on the column),
 * unless the target's real NULL share is known: then one row out of round(1 / share), never more
 * often than one out of NULL_PERIOD, and never for a share of 0.
 */
export const NULL_PERIOD = 5;

/** Non-unique columns repeat the previous row's value every DUPLICATE_PERIOD rows. */
export const DUPLICATE_PERIOD = 4;

/**
 * How often a column is NULL: a period p (NULL in the rows i with i % p = the column's offset),
 * or null for never. From the target's NULL share when known, else NULL_PERIOD.
 */
export interface NullPeriods {
  of(table: Table, column: string): number | null;
  /** A multi-column foreign key is NULL as a whole: the period of its rarest-NULL column. */
  ofGroup(table: Table, columns: readonly string[]): number | null;
}

export function nullPeriods(nullFraction: NullFraction | undefined, n: number): NullPeriods {
  const of = (table: Table, column: string): number | null => {
    const f = nullFraction?.(tableKey(table), column);
    if (f === undefined || !Number.isFinite(f)) return NULL_PERIOD;
    if (f <= 0) return null;
    // Share f, but no more often than today's one row of NULL_PERIOD, and at least once in n
    // rows (a period of at most n covers every offset).
    return Math.max(1, Math.min(n, Math.max(NULL_PERIOD, Math.round(1 / f))));
  };
  return {
    of,
    ofGroup(table, columns) {
      const periods = columns.map((c) => of(table, c));
      if (periods.length === 0) return NULL_PERIOD;
      if (periods.includes(null)) return null;
      return Math.max(...periods.filter((p): p is number => p !== null));
    },
  };
}

export function checkRowCount(rowsPerTable: number): number {
  if (!Number.isSafeInteger(rowsPerTable) || rowsPerTable < 0)
    throw new RangeError(`rowsPerTable must be a non-negative integer, got ${rowsPerTable}`);
  return rowsPerTable;
}
