/**
 * `fleet check` and `fleet list` on the fixture fleet (test/support/fleet-fixture.ts): a git
 * repository whose branch changes the migrations of orders (drops a column billing reads),
 * accounts (adds a column) and edge (a SQLite service, checked on a scratch file). Exactly those are checked, billing's
 * queries with orders' migration since they share a database, and the SQLite one is skipped.
 */
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FleetReport } from '../../src/core/fleet.js';
import { expectUsageError } from '../cli/support.js';
import { runCli } from '../support/cli.js';
import { FLEET_CONFIG, makeFixtureFleet, type FixtureFleet } from '../support/fleet-fixture.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';

const report = (stdout: string) => JSON.parse(stdout) as FleetReport;
const byName = (r: FleetReport, name: string) => r.services.find((s) => s.service === name);

describePg('fleet check (CLI)', (target) => {
  let fleet: FixtureFleet;
  const scratch = ['--dev-url', target.url];
  beforeAll(() => {
    fleet = makeFixtureFleet();
  });
  afterAll(() => rmSync(fleet.root, { recursive: true, force: true }));

  it('checks exactly the services whose migrations changed, with the queries of their neighbours', async () => {
    const result = await runCli([
      'fleet',
      'check',
      '--config',
      fleet.config,
      '--since',
      'main',
      '--only',
      'orders',
      '--only',
      'accounts',
      '--only',
      'billing',
      '--only',
      'edge',
      '--format',
      'json',
      ...scratch,
    ]);
    expect(result.code, result.stderr).toBe(1);
    const r = report(result.stdout);
    expect(r.safe).toBe(false);
    expect(r.since).toBe('main');
    expect(r.services.map((s) => s.service)).toEqual(['accounts', 'edge', 'orders']);
    // Unchanged across the whole fleet, --only or not (catalog is outside --only here).
    expect(r.unchanged).toEqual(['billing', 'catalog']);

    const accounts = byName(r, 'accounts');
    expect(accounts?.verdict).toBe('safe');
    expect(accounts?.migrations).toEqual(['services/accounts/migrations/002_add_nickname.sql']);
    expect(accounts?.summary).toMatchObject({
      breakingChanges: 0,
      validation: 'passed',
      servicesAffected: [],
    });
    // Its own code is checked (accounts shares its database with nobody else).
    expect(accounts?.summary.servicesChecked).toBe(1);

    const orders = byName(r, 'orders');
    expect(orders?.verdict).toBe('unsafe');
    expect(orders?.owners).toEqual(['@shop/orders']);
    expect(orders?.summary.breakingChanges).toBe(1);
    // billing reads orders.note on the same database: its query is what breaks, not orders' own.
    expect(orders?.summary.servicesAffected).toEqual(['billing']);
    expect(orders?.summary.servicesChecked).toBe(2);
    expect(orders?.reasons.join('\n')).toMatch(
      /billing\/src\/invoices\.ts:3:\d+ broken at .*column "note" does not exist/,
    );
    // ORDERS_DATABASE_URL is not set: the schema came from replaying 001 on the scratch server.
    const assumptions = (orders?.check as { analysis: { assumptions: string[] } }).analysis.assumptions;
    expect(assumptions.join('\n')).toContain('ORDERS_DATABASE_URL is not set');

    const edge = byName(r, 'edge');
    // A SQLite service, replayed into a scratch file: its ADD COLUMN runs in place.
    expect(edge?.verdict).toBe('safe');
    expect(edge?.summary.validation).toBe('passed');
    expect(edge?.summary.lockDuration).toMatch(/RESERVED on the whole database/);
  });

  it("rebuilds the schema from the migrations of every service on the database, so a neighbour's join with its own table is checked", async () => {
    // billing owns invoices (its own migrations, same database as orders) and joins it with orders.note.
    const config = {
      services: FLEET_CONFIG.services.map((s) =>
        s.name === 'billing' ? { ...s, migrations: 'services/billing/migrations' } : s,
      ),
    };
    const joined = makeFixtureFleet({
      config,
      base: {
        'services/billing/migrations/001_invoices.sql':
          'CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint NOT NULL);\n',
      },
      feature: {
        'services/orders/migrations/002_drop_note.sql': 'ALTER TABLE orders DROP COLUMN note;\n',
        'services/billing/src/invoices.ts':
          "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const notes = () => pool.query('SELECT i.id, o.note FROM invoices i JOIN orders o ON o.id = i.order_id');\n",
      },
    });
    try {
      const result = await runCli([
        'fleet',
        'check',
        '--config',
        joined.config,
        '--since',
        'main',
        '--only',
        'orders',
        '--format',
        'json',
        ...scratch,
      ]);
      const orders = byName(report(result.stdout), 'orders');
      expect(orders?.summary.servicesAffected).toEqual(['billing']);
      expect(orders?.reasons.join('\n')).toMatch(
        /billing\/src\/invoices\.ts:3:\d+ broken at .*column o\.note does not exist/,
      );
      const assumptions = (orders?.check as { analysis: { assumptions: string[] } }).analysis.assumptions;
      expect(assumptions.join('\n')).toContain(
        'rebuilt from the unchanged migrations of orders, billing (database main)',
      );
    } finally {
      rmSync(joined.root, { recursive: true, force: true });
    }
  });

  it('with the URL variable set, reads the live schema (read-only) instead of replaying', async () => {
    // The live database already has a table the migrations never made: the check must see it.
    const live: TempDatabase = await createTempDatabase(
      target,
      'CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, note text); CREATE TABLE audit (id int);',
    );
    try {
      const result = await runCli(
        [
          'fleet',
          'check',
          '--config',
          fleet.config,
          '--since',
          'main',
          '--only',
          'orders',
          '--format',
          'json',
          ...scratch,
        ],
        { env: { ORDERS_DATABASE_URL: live.url } },
      );
      const orders = byName(report(result.stdout), 'orders');
      const assumptions = (orders?.check as { analysis: { assumptions: string[] } }).analysis.assumptions;
      expect(assumptions.join('\n')).not.toContain('is not set');
      expect((orders?.check as { analysis: { serverVersion: string } }).analysis.serverVersion).toMatch(
        new RegExp(`^${target.major}\\.`),
      );
      expect(orders?.verdict).toBe('unsafe');
      const after = await live.client.query<{ n: string }>(
        "SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'",
      );
      expect(after.rows[0]?.n).toBe('1');
    } finally {
      await live.drop();
    }
  });

  it('never prints the password of a service URL, even when the connection fails', async () => {
    const url = 'postgres://app:hunter2-secret@127.0.0.1:1/orders';
    const result = await runCli(
      [
        'fleet',
        'check',
        '--config',
        fleet.config,
        '--since',
        'main',
        '--only',
        'orders',
        '--format',
        'json',
        ...scratch,
      ],
      { env: { ORDERS_DATABASE_URL: url } },
    );
    expect(result.code).toBe(1);
    expect(byName(report(result.stdout), 'orders')?.verdict).toBe('failed');
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret');
  });

  it('checks the same with one job as with several', async () => {
    const args = [
      'fleet',
      'check',
      '--config',
      fleet.config,
      '--since',
      'main',
      '--only',
      'orders',
      '--only',
      'accounts',
      '--format',
      'json',
      ...scratch,
    ];
    const [one, two] = await Promise.all([
      runCli([...args, '--jobs', '1']),
      runCli([...args, '--jobs', '2']),
    ]);
    const verdicts = (r: FleetReport) =>
      r.services.map((s) => [s.service, s.verdict, s.summary.servicesAffected]);
    expect(verdicts(report(one.stdout))).toEqual(verdicts(report(two.stdout)));
  });

  it('without --since checks every service with migrations from an empty database', async () => {
    const result = await runCli([
      'fleet',
      'check',
      '--config',
      fleet.config,
      '--only',
      'orders',
      '--only',
      'accounts',
      '--format',
      'json',
      ...scratch,
    ]);
    const r = report(result.stdout);
    expect(r.since).toBeNull();
    expect(byName(r, 'accounts')?.migrations).toEqual([
      'services/accounts/migrations/001_create_users.sql',
      'services/accounts/migrations/002_add_nickname.sql',
    ]);
    expect(r.services.map((s) => s.service)).toEqual(['accounts', 'orders']);
  });
});

it('fleet list: the changed services as a GitHub Actions matrix, or every service as names', async () => {
  const fleet = makeFixtureFleet();
  try {
    const matrix = await runCli([
      'fleet',
      'list',
      '--config',
      fleet.config,
      '--changed',
      '--since',
      'main',
      '--format',
      'json',
    ]);
    expect(matrix.code, matrix.stderr).toBe(0);
    expect(JSON.parse(matrix.stdout)).toEqual({
      include: [
        { service: 'orders', dialect: 'postgres', database: 'main' },
        { service: 'accounts', dialect: 'postgres', database: 'accounts' },
        { service: 'edge', dialect: 'sqlite', database: null },
      ],
    });
    const all = await runCli(['fleet', 'list', '--config', fleet.config]);
    expect(all.stdout.trim().split('\n')).toEqual(FLEET_CONFIG.services.map((s) => s.name));
    const none = await runCli([
      'fleet',
      'list',
      '--config',
      fleet.config,
      '--changed',
      '--since',
      'HEAD',
      '--format',
      'json',
    ]);
    expect(JSON.parse(none.stdout)).toEqual({ include: [] });
  } finally {
    rmSync(fleet.root, { recursive: true, force: true });
  }
});

it('refuses bad input with one line and exit 2, before checking anything', async () => {
  const fleet = makeFixtureFleet();
  const config = (services: unknown[]) => {
    const path = join(fleet.root, 'bad.config.json');
    writeFileSync(path, JSON.stringify({ services }));
    return path;
  };
  const base = FLEET_CONFIG.services[0] as Record<string, unknown>;
  try {
    expectUsageError(
      await runCli(['fleet', 'check', '--config', fleet.config, '--since', 'no-such-branch']),
      /--since no-such-branch: git knows no such commit/,
    );
    expectUsageError(
      await runCli(['fleet', 'check', '--config', fleet.config, '--since', '--output=/tmp/x']),
      /--since must be a git ref/,
    );
    expectUsageError(
      await runCli([
        'fleet',
        'check',
        '--config',
        config([{ ...base, databaseUrlEnv: 'postgres://u:pw@h/db' }]),
      ]),
      /services\[0\] \(orders\)\.databaseUrlEnv: holds a connection URL/,
    );
    const withUrl = await runCli([
      'fleet',
      'list',
      '--config',
      config([{ ...base, url: 'postgres://u:s3cret@h/db' }]),
    ]);
    expectUsageError(
      withUrl,
      /services\[0\] \(orders\)\.url: a database URL or secret does not belong in the config file/,
    );
    expect(withUrl.stderr).not.toContain('s3cret');
    expectUsageError(
      await runCli(['fleet', 'list', '--config', config([base, { ...base, name: 'x', runner: 'maven' }])]),
      /services\[1\] \(x\)\.runner: unknown runner "maven"/,
    );
    expectUsageError(
      await runCli([
        'fleet',
        'list',
        '--config',
        config([base, { name: 'y', path: 'services/billing', database: 'main', dialect: 'mysql' }]),
      ]),
      /services "orders" and "y" share database "main" but name different dialects/,
    );
    expectUsageError(
      await runCli(['fleet', 'check', '--config', fleet.config, '--jobs', '0']),
      /--jobs must be/,
    );
    expectUsageError(
      await runCli(['fleet', 'check', '--config', fleet.config, '--only', 'nope']),
      /--only nope: no such service/,
    );
    expectUsageError(
      await runCli(['fleet', 'check', '--config', fleet.config, '--since', 'main'], {
        env: { ORDERS_DATABASE_URL: 'mysql://root:pw9@127.0.0.1/x' },
      }),
      /ORDERS_DATABASE_URL: service "orders" is postgres but the variable holds a MySQL\/MariaDB URL/,
    );
    expectUsageError(
      await runCli(['fleet', 'list', '--config', fleet.config, '--changed']),
      /--changed needs --since/,
    );
    const noGit = `${fleet.root}-copy`;
    cpSync(fleet.root, noGit, { recursive: true });
    rmSync(join(noGit, '.git'), { recursive: true });
    try {
      expectUsageError(
        await runCli([
          'fleet',
          'check',
          '--config',
          join(noGit, 'schemapilot.config.json'),
          '--since',
          'main',
        ]),
        /--since needs a git repository/,
      );
    } finally {
      rmSync(noGit, { recursive: true, force: true });
    }
  } finally {
    rmSync(fleet.root, { recursive: true, force: true });
  }
});

describePg('fleet matrix and merge (CLI)', (target) => {
  it('list → one fleet check per service → fleet report gives the comment one fleet check gives', async () => {
    const fleet = makeFixtureFleet();
    const scratch = ['--dev-url', target.url];
    try {
      const single = await runCli([
        'fleet',
        'check',
        '--config',
        fleet.config,
        '--since',
        'main',
        '--format',
        'json',
        ...scratch,
      ]);
      const singleJson = join(fleet.root, 'single.json');
      writeFileSync(singleJson, single.stdout);
      const list = await runCli([
        'fleet',
        'list',
        '--config',
        fleet.config,
        '--changed',
        '--since',
        'main',
        '--format',
        'json',
      ]);
      const matrix = (JSON.parse(list.stdout) as { include: { service: string }[] }).include;
      const parts = await Promise.all(
        matrix.map(async ({ service }) => {
          const out = join(fleet.root, `${service}.json`);
          const job = await runCli([
            'fleet',
            'check',
            '--config',
            fleet.config,
            '--only',
            service,
            '--since',
            'main',
            '--format',
            'json',
            '-o',
            out,
            ...scratch,
          ]);
          expect(job.code, job.stderr).toBe(service === 'orders' ? 1 : 0);
          return out;
        }),
      );
      const merged = await runCli([
        'fleet',
        'report',
        ...parts,
        '--root',
        fleet.root,
        '--format',
        'markdown',
      ]);
      const direct = await runCli([
        'fleet',
        'report',
        singleJson,
        '--root',
        fleet.root,
        '--format',
        'markdown',
      ]);
      expect(merged.code).toBe(1);
      // Durations differ between runs; everything else must be the same comment.
      const timeless = (md: string) =>
        md.replace(/\d+(\.\d+)? (s|ms)\b/g, 'T').replace(/\| \d+ \|$/gm, '| T |');
      expect(timeless(merged.stdout)).toBe(timeless(direct.stdout));
      expect(merged.stdout).toContain('| orders |');
      expect(merged.stdout).toMatch(/Not changed: billing, catalog/i);
    } finally {
      rmSync(fleet.root, { recursive: true, force: true });
    }
  });
});
