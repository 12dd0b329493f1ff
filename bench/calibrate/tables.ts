/**
 * The calibration tables: one per row count, of a realistic width (about 130 bytes a row: keys,
 * a status, money, timestamps, an email and a hash), with a primary key and one secondary
 * index, plus a 100k-row parent table for foreign keys. Built once in `sp_bench_calibrate` and
 * kept for later runs (a table comment records how it was built).
 */
import { databaseUrl, withClient } from '../lib.js';

export const DB = 'sp_bench_calibrate';
export const PARENT = 'cal_accounts';
const PARENT_ROWS = 100_000;
/** Bump when the table definitions change, so old tables are rebuilt. */
const LAYOUT = 'v1';

export const tableName = (rows: number) => `cal_${rows >= 1e6 ? `${rows / 1e6}m` : `${rows / 1e3}k`}`;
export const secondaryIndex = (rows: number) => `${tableName(rows)}_account_created`;

export async function ensureCalibrationTables(
  serverUrl: string,
  rowCounts: readonly number[],
  log: (s: string) => void,
): Promise<string> {
  const url = databaseUrl(serverUrl, DB);
  await withClient(serverUrl, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB]);
    if (rowCount !== 1) await c.query(`CREATE DATABASE ${DB}`);
  });
  await withClient(url, async (c) => {
    const marker = (name: string) =>
      c
        .query<{ d: string | null }>(`SELECT obj_description(to_regclass($1), 'pg_class') AS d`, [name])
        .then((r) => r.rows[0]?.d ?? null);
    if ((await marker(PARENT)) !== `${LAYOUT} rows=${PARENT_ROWS}`) {
      log(`  creating ${PARENT} (${PARENT_ROWS.toLocaleString('en')} rows) …`);
      await c.query(`DROP TABLE IF EXISTS ${PARENT} CASCADE`);
      await c.query(`CREATE TABLE ${PARENT} (id bigint PRIMARY KEY, name text NOT NULL)`);
      await c.query(
        `INSERT INTO ${PARENT} SELECT g, 'account ' || g FROM generate_series(1, ${PARENT_ROWS}) g`,
      );
      await c.query(`VACUUM ANALYZE ${PARENT}`);
      await c.query(`COMMENT ON TABLE ${PARENT} IS '${LAYOUT} rows=${PARENT_ROWS}'`);
    }
    for (const rows of rowCounts) {
      const table = tableName(rows);
      if ((await marker(table)) === `${LAYOUT} rows=${rows}`) continue;
      log(`  creating ${table} (${rows.toLocaleString('en')} rows; once, kept for later runs) …`);
      await c.query(`DROP TABLE IF EXISTS ${table}`);
      // email is nullable but never null, so SET NOT NULL has to scan and succeeds;
      // quantity is the int column that the int→bigint change rewrites.
      await c.query(`CREATE TABLE ${table} (
        id bigint PRIMARY KEY,
        account_id bigint NOT NULL,
        status text NOT NULL,
        amount numeric(12,2) NOT NULL,
        quantity integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz,
        email text,
        note text)`);
      await c.query(`INSERT INTO ${table}
        SELECT g, 1 + g % ${PARENT_ROWS}, (ARRAY['new','paid','shipped','cancelled'])[1 + g % 4],
               (g % 100000) / 100.0, g % 1000, timestamptz '2024-01-01' + g * interval '1 second',
               CASE WHEN g % 3 = 0 THEN timestamptz '2025-01-01' END,
               'user' || g || '@example.com', md5(g::text)
        FROM generate_series(1, ${rows}) g`);
      await c.query(`CREATE INDEX ${secondaryIndex(rows)} ON ${table} (account_id, created_at)`);
      // Hint bits set and statistics fresh, as on a table that has lived in production a while.
      await c.query(`VACUUM ANALYZE ${table}`);
      await c.query(`COMMENT ON TABLE ${table} IS '${LAYOUT} rows=${rows}'`);
    }
  });
  return url;
}
