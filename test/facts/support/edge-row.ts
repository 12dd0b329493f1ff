/**
 * rejectsExistingValues on the server: put a row at the edge of what the table allows before
 * the statement (a 10-character value for a varchar(10) column, a duplicate for a new UNIQUE),
 * then run the statement. It rejects the row when it fails with a data exception (SQLSTATE
 * class 22) or an integrity violation (class 23); it changes it when the value read back
 * differs. Everything runs in a transaction that is rolled back.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import type pg from 'pg';

export interface EdgeRow {
  /** SQL that puts the edge row in place (INSERT, UPDATE, DELETE). */
  row: string;
  /** A query returning the edge row's value as text in column `v`, before and after. */
  readBack?: string;
}

export async function edgeRowRejected(client: pg.Client, sql: string, edge: EdgeRow): Promise<boolean> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = 10000`);
    await client.query(edge.row);
    const before = edge.readBack ? await readValue(client, edge.readBack) : undefined;
    try {
      await client.query(sql);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('22') || code.startsWith('23')) return true;
      throw error;
    }
    return edge.readBack !== undefined && (await readValue(client, edge.readBack)) !== before;
  } finally {
    await client.query('ROLLBACK');
  }
}

async function readValue(client: pg.Client, query: string): Promise<string | null> {
  const { rows } = await client.query<{ v: string | null }>(query);
  if (rows.length !== 1) throw new Error(`readBack must return one row, got ${rows.length}: ${query}`);
  return rows[0]?.v ?? null;
}
