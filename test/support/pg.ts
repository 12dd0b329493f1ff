import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject, it } from 'vitest';
import type { PgTarget } from '../setup/targets.js';

export const pgTargets: PgTarget[] = inject('pgTargets');

/**
 * A describe block run once per PostgreSQL target. With no target it is skipped loudly, and
 * under CI=true it fails instead: a green CI run must mean the database tests ran.
 */
export function describePg(name: string, body: (target: PgTarget) => void): void {
  if (pgTargets.length === 0) {
    missingDatabase(name, 'PostgreSQL', 'TEST_PG_URLS is empty');
    return;
  }
  for (const target of pgTargets) describe(`${name} [${target.label}]`, () => body(target));
}

export function missingDatabase(name: string, what: string, why: string): void {
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it(`needs ${what}`, () => {
        throw new Error(`${what} suite "${name}" would be skipped (${why}); CI=true requires it to run`);
      });
    });
    return;
  }
  process.stderr.write(`\n[schemapilot tests] SKIPPED ${what} suite "${name}": ${why}\n`);
  describe.skip(name, () => {
    it('skipped: no database', () => undefined);
  });
}

export interface TempDatabase {
  name: string;
  url: string;
  /** A connected client on the database; closed by `drop`. */
  client: pg.Client;
  drop(): Promise<void>;
}

/** A fresh, empty database on the target, optionally loaded with SQL. */
export async function createTempDatabase(
  target: PgTarget,
  sql?: string,
  /** Copy this database (no session may be connected to it): much faster than loading SQL again. */
  options: { template?: string } = {},
): Promise<TempDatabase> {
  const name = `sp_test_${randomBytes(5).toString('hex')}`;
  const template = options.template ? ` TEMPLATE "${options.template.replace(/"/g, '""')}"` : '';
  await withClient(target.url, (c) => c.query(`CREATE DATABASE ${name}${template}`));
  const url = databaseUrl(target.url, name);
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  if (sql !== undefined) await client.query(sql);
  return {
    name,
    url,
    client,
    async drop() {
      await client.end().catch(() => undefined);
      // WITH (FORCE) exists from PostgreSQL 13; the facts suites also run on 10 and 11.
      const force = target.major >= 13 ? ' WITH (FORCE)' : '';
      await withClient(target.url, (c) => c.query(`DROP DATABASE IF EXISTS ${name}${force}`));
    },
  };
}

export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Rows written to the database's user tables (inserted + updated + deleted), once the
 * statistics have settled. Counters reach pg_stat_user_tables asynchronously (up to a second
 * after commit, more on a busy machine), so read until two reads a moment apart agree.
 */
export async function settledWriteCount(client: pg.Client): Promise<number> {
  const { rows: version } = await client.query<{ v: number }>(
    `SELECT current_setting('server_version_num')::int AS v`,
  );
  // PostgreSQL 15+: flush this session's own pending counters right away.
  if ((version[0]?.v ?? 0) >= 150000) await client.query('SELECT pg_stat_force_next_flush()');
  const read = async () => {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ w: string | null }>(
      `SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::text AS w FROM pg_stat_user_tables`,
    );
    return Number(rows[0]?.w ?? 0);
  };
  let last = await read();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await read();
    if (now === last) return now;
    last = now;
  }
  return last;
}
