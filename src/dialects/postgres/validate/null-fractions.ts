/**
 * The live database's NULL share per column, from its planner statistics: what synthesis follows
 * so that the scratch copy has NULLs where the real data has them, and none where it has none.
 */
import type pg from 'pg';
import type { NullFraction } from '../../../core/dialect/validation.js';
import { qualifiedName } from '../../../core/snapshot.js';

/**
 * The real NULL share of every column of `source` that has planner statistics, for
 * `synthesizeRows(..., { nullFraction })`: one query on pg_catalog.pg_stats (user schemas), inside
 * `BEGIN READ ONLY` ... `COMMIT`, so the source (the user's live database) is only read.
 *
 * - Statistics exist only for tables that were analysed (ANALYZE or autovacuum) and columns the
 *   user may read; for any other column the function returns undefined (synthesis then keeps its
 *   default share). For a partitioned or inheritance parent the whole tree's statistics are used.
 * - null_frac is an estimate from a sample of the table (30000 rows by default). A column with
 *   rare NULLs can be reported as exactly 0: it is taken as 0, so the synthesized copy has no
 *   NULL there and a `SET NOT NULL` passes validation that would fail on the real data. Up to
 *   date statistics narrow this; `--sample-rows` (real rows) or a real count closes it.
 *
 * `source` must not be inside a transaction.
 */
export async function readNullFractions(source: pg.Client): Promise<NullFraction> {
  await source.query('BEGIN READ ONLY');
  let rows: { schema: string; table: string; column: string; null_frac: number | null }[];
  try {
    ({ rows } = await source.query<{
      schema: string;
      table: string;
      column: string;
      null_frac: number | null;
    }>(
      `SELECT DISTINCT ON (schemaname, tablename, attname)
              schemaname::text AS schema, tablename::text AS table, attname::text AS column,
              null_frac::float8 AS null_frac
         FROM pg_catalog.pg_stats
        WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema'
        ORDER BY schemaname, tablename, attname, inherited DESC`,
    ));
    await source.query('COMMIT');
  } catch (error) {
    await source.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const byTable = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const f = r.null_frac === null ? NaN : Number(r.null_frac);
    if (!Number.isFinite(f)) continue;
    const key = qualifiedName(r.schema, r.table);
    const columns = byTable.get(key) ?? new Map<string, number>();
    columns.set(r.column, Math.min(1, Math.max(0, f)));
    byTable.set(key, columns);
  }
  return (table, column) => byTable.get(table)?.get(column);
}
