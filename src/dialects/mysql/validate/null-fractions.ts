/**
 * The target's NULL share per column, from the statistics the server keeps, so that synthesized
 * rows have NULLs where the real data has them and none where it has none:
 *
 * - MariaDB: engine-independent statistics, `mysql.column_stats.nulls_ratio`, filled by
 *   `ANALYZE TABLE … PERSISTENT FOR ALL` (or with use_stat_tables set to collect them).
 *   https://mariadb.com/kb/en/engine-independent-table-statistics/
 * - MySQL 8: histograms, `information_schema.COLUMN_STATISTICS` (`null-values` in the JSON),
 *   built by `ANALYZE TABLE … UPDATE HISTOGRAM ON …` (documented only: no MySQL server here).
 *   https://dev.mysql.com/doc/refman/8.0/en/optimizer-statistics.html
 *
 * Most columns have neither: they keep synthesis's default share. The session is the target's,
 * read only; only its own database is read. The answer is keyed by table name alone, since the
 * scratch copy asks with its own database name.
 */
import type { NullFraction } from '../../../core/dialect/validation.js';
import type { MysqlSession } from '../session.js';

export async function readNullFractions(session: MysqlSession): Promise<NullFraction> {
  const sql =
    session.version.product === 'mariadb'
      ? `SELECT table_name AS t, column_name AS c, nulls_ratio AS f FROM mysql.column_stats WHERE db_name = DATABASE()`
      : `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, HISTOGRAM->>'$."null-values"' AS f
           FROM information_schema.COLUMN_STATISTICS WHERE SCHEMA_NAME = DATABASE()`;
  let rows: { t: string; c: string; f: string | number | null }[] = [];
  try {
    rows = await session.rows(sql);
  } catch {
    // No right to read mysql.column_stats (or no such table): nothing is known.
  }
  const byTable = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const f = r.f === null ? NaN : Number(r.f);
    if (!Number.isFinite(f)) continue;
    const columns = byTable.get(r.t) ?? new Map<string, number>();
    columns.set(r.c, Math.min(1, Math.max(0, f)));
    byTable.set(r.t, columns);
  }
  return (table, column) => byTable.get(table.slice(table.indexOf('.') + 1))?.get(column);
}
