/**
 * `fleet check` without --since on services whose database URL variable is set: the migration
 * tool's history on the live database says which files are pending, and only those are
 * checked (the live schema has the applied ones). The fixture fleet's orders service is run by
 * Rails here (schema_migrations), accounts by nothing schemapilot can read the history of.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FleetReport } from '../../src/core/fleet.js';
import { runCli } from '../support/cli.js';
import { FLEET_CONFIG, makeFixtureFleet, type FixtureFleet } from '../support/fleet-fixture.js';
import { databaseUrl, describePg, withClient } from '../support/pg.js';
import type { PgTarget } from '../setup/targets.js';

const report = (stdout: string) => JSON.parse(stdout) as FleetReport;
const byName = (r: FleetReport, name: string) => r.services.find((s) => s.service === name);

const CONFIG = {
  services: FLEET_CONFIG.services.map((s) => {
    if (s.name === 'orders') return { ...s, runner: 'rails' };
    if (s.name === 'accounts') return { ...s, databaseUrlEnv: 'ACCOUNTS_DATABASE_URL' };
    return s;
  }),
};

interface LiveDatabase {
  url: string;
  client: pg.Client;
  drop(): Promise<void>;
}

/** A database of this suite's own (pend_…), loaded with `sql`. */
async function liveDatabase(target: PgTarget, sql: string): Promise<LiveDatabase> {
  const name = `pend_${randomBytes(5).toString('hex')}`;
  await withClient(target.url, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(target.url, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql);
  return {
    url,
    client,
    async drop() {
      await client.end().catch(() => undefined);
      await withClient(target.url, (c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
    },
  };
}

describePg('fleet check without --since: the pending migrations of the live database', (target) => {
  let fleet: FixtureFleet;
  let orders: LiveDatabase;
  let accounts: LiveDatabase;
  beforeAll(async () => {
    fleet = makeFixtureFleet({ config: CONFIG });
    // orders is at 001 on the live database: Rails recorded it, 002 (the branch's) is pending.
    orders = await liveDatabase(
      target,
      `CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, note text);
       CREATE TABLE "schema_migrations" ("version" character varying NOT NULL PRIMARY KEY);
       INSERT INTO schema_migrations (version) VALUES ('001');`,
    );
    accounts = await liveDatabase(target, 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);');
  });
  afterAll(async () => {
    rmSync(fleet.root, { recursive: true, force: true });
    await orders.drop();
    await accounts.drop();
  });

  const check = (...only: string[]) =>
    runCli(
      [
        'fleet',
        'check',
        '--config',
        fleet.config,
        ...only.flatMap((name) => ['--only', name]),
        '--format',
        'json',
        '--dev-url',
        target.url,
      ],
      { env: { ORDERS_DATABASE_URL: orders.url, ACCOUNTS_DATABASE_URL: accounts.url } },
    );

  it('checks only the files the tool has not applied; a runner without a history it can read fails, naming it', async () => {
    const result = await check('orders', 'accounts');
    expect(result.code, result.stderr).toBe(1);
    const r = report(result.stdout);
    expect(r.since).toBeNull();

    const o = byName(r, 'orders');
    expect(o?.migrations).toEqual(['services/orders/migrations/002_drop_note.sql']);
    // billing still reads orders.note: the pending migration breaks it.
    expect(o?.verdict).toBe('unsafe');
    expect(o?.summary.servicesAffected).toEqual(['billing']);
    const assumptions = (o?.check as { analysis: { assumptions: string[] } }).analysis.assumptions.join('\n');
    expect(assumptions).toContain('pending migrations from public.schema_migrations: 1 of 2');

    const a = byName(r, 'accounts');
    expect(a?.verdict).toBe('failed');
    expect(a?.reasons[0]).toMatch(
      /^without --since, the pending migrations are read from the migration tool's history, and files run as plain SQL leave no history in the database \(runner plain\): give --since REF .*"runner"/,
    );
    expect(result.stdout + result.stderr).not.toContain(orders.url);
  });

  it('a service whose database has every migration applied has nothing to check', async () => {
    await orders.client.query("INSERT INTO schema_migrations (version) VALUES ('002')");
    try {
      const result = await check('orders');
      expect(result.code, result.stderr).toBe(0);
      const r = report(result.stdout);
      expect(r.services).toEqual([]);
      expect(r.unchanged).toContain('orders');
      expect(r.safe).toBe(true);
      expect(result.stderr).toMatch(
        /nothing pending: public\.schema_migrations has all 2 migrations applied/,
      );
    } finally {
      await orders.client.query("DELETE FROM schema_migrations WHERE version = '002'");
    }
  });
});
