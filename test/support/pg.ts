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
export async function createTempDatabase(target: PgTarget, sql?: string): Promise<TempDatabase> {
  const name = `sp_test_${randomBytes(5).toString('hex')}`;
  await withClient(target.url, (c) => c.query(`CREATE DATABASE ${name}`));
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
