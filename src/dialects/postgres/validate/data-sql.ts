/**
 * What synthesis and sample copies share on PostgreSQL: a savepoint per attempt (one table that
 * cannot be filled does not abort the others), partition and materialized view reports.
 */
import type pg from 'pg';
import type { TableDataReport } from '../../../core/dialect/validation.js';
import type { Table, View } from '../../../core/snapshot.js';
import { tableKey } from '../../../validate/data/insertion-order.js';
import { quoteIdent } from '../quote.js';
import { viewsInDependencyOrder } from './clone.js';

const SAVEPOINT = 'schemapilot_data';

export const qn = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: string };

/** Run `fn` under a savepoint: on failure roll back to it and return the error as `SQLSTATE: message`. */
export async function attempt<T>(client: pg.Client, fn: () => Promise<T>): Promise<Attempt<T>> {
  await client.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    const value = await fn();
    await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return { ok: true, value };
  } catch (error) {
    await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    const e = error as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(error);
    return { ok: false, error: typeof e.code === 'string' ? `${e.code}: ${message}` : message };
  }
}

export async function partitionReport(client: pg.Client, t: Table): Promise<TableDataReport> {
  const key = tableKey(t);
  const counted = await attempt(client, () =>
    client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${qn(t.schema, t.name)}`),
  );
  const rows = counted.ok ? (counted.value.rows[0]?.n ?? 0) : 0;
  return rows > 0
    ? { table: key, rows }
    : {
        table: key,
        rows: 0,
        skipped: `partition of ${t.partitionOf ?? '?'}: rows go in through the parent, none landed here`,
      };
}

export async function refreshMaterializedViews(
  client: pg.Client,
  views: readonly View[],
): Promise<TableDataReport[]> {
  const out: TableDataReport[] = [];
  for (const v of viewsInDependencyOrder(views)) {
    if (!v.materialized) continue;
    const name = qn(v.schema, v.name);
    const result = await attempt(client, async () => {
      await client.query(`REFRESH MATERIALIZED VIEW ${name}`);
      return (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`)).rows[0]?.n ?? 0;
    });
    out.push(
      result.ok
        ? { table: tableKey(v), rows: result.value }
        : { table: tableKey(v), rows: 0, skipped: `refresh failed: ${result.error}` },
    );
  }
  return out;
}
