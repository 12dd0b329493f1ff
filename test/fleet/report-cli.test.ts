/**
 * `schemapilot fleet report` as a matrix's merge job runs it: per-service `check --format json`
 * reports (real ones, made by the CLI in beforeAll) and fleet reports merged into one, with the
 * exit code of the whole; bad input is one line naming the file and exit 2. And the property
 * the matrix needs: the merged comment is the comment of the same services reported at once.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FleetReport } from '../../src/core/fleet.js';
import { checkedService, fleetReport, type CheckJson } from '../../src/fleet/summary.js';
import { renderFleetMarkdown } from '../../src/reporters/fleet/index.js';
import { expectUsageError } from '../cli/support.js';
import { runCli } from '../support/cli.js';
import { describePg } from '../support/pg.js';
import {
  expectedRow,
  makeCheckReports,
  migrationsOf,
  ORDERS_MIGRATION,
  readCheck,
  type CheckReports,
} from './report-support.js';

describePg('fleet report (CLI)', (target) => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-fleetreport-'));
  let reports: CheckReports;

  beforeAll(async () => {
    reports = await makeCheckReports(target, dir);
  }, 180_000);
  afterAll(async () => {
    await reports?.drop();
  });

  const merged = async (args: string[]) => {
    const result = await runCli(['fleet', 'report', ...args, '--format', 'json']);
    return { ...result, report: JSON.parse(result.stdout || 'null') as FleetReport };
  };

  it('merges two check reports: one row per service named after its file, unsafe when one is, exit 1', async () => {
    const { code, stderr, report } = await merged([reports.shop, reports.orders]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(report.safe).toBe(false);
    expect(report.since).toBeNull();
    expect(report.unchanged).toEqual([]);
    const shop = readCheck(reports.shop);
    const orders = readCheck(reports.orders);
    expect(report.services.map((s) => [s.service, s.verdict])).toEqual([
      ['orders', 'unsafe'],
      ['shop', 'safe'],
    ]);
    const [ordersRow, shopRow] = report.services;
    expect(ordersRow?.summary).toEqual({
      breakingChanges: orders.analysis.assessment.breaking_changes.length,
      lockRisk: orders.analysis.assessment.performance_impact,
      lockDuration: orders.analysis.assessment.lock_duration_estimate,
      planSteps: orders.plan.steps.length,
      validation: orders.validation.passed ? 'passed' : 'failed',
      servicesAffected: ['orders-ts', 'users-go'],
      servicesChecked: 2,
    });
    // The fixture's migration renames users.name and drops orders.note: two breaking changes.
    expect(ordersRow?.summary.breakingChanges).toBe(2);
    expect(ordersRow?.migrations).toEqual([ORDERS_MIGRATION]);
    expect(ordersRow?.dialect).toBe('postgres');
    expect(ordersRow?.reasons.length).toBeGreaterThan(0);
    expect(shopRow?.reasons).toEqual([]);
    expect(shopRow?.migrations).toEqual(migrationsOf(shop));
    expect(shopRow?.summary.planSteps).toBe(shop.plan.steps.length);
  });

  it('exits 0 when every merged service is safe', async () => {
    const other = join(dir, 'safe-copy');
    mkdirSync(other, { recursive: true });
    copyFileSync(reports.shop, join(other, 'catalog.json'));
    const { code, report } = await merged([reports.shop, join(other, 'catalog.json')]);
    expect(code).toBe(0);
    expect(report.safe).toBe(true);
    expect(report.services.map((s) => s.service)).toEqual(['catalog', 'shop']);
  });

  it("merges a fleet report with a check report: the fleet report's owners, database, since and unchanged services stay", async () => {
    const orders = readCheck(reports.orders) as unknown as CheckJson;
    const fleet = fleetReport(
      [
        checkedService(
          {
            service: 'orders',
            dialect: 'postgres',
            database: 'main',
            owners: ['@acme/orders-team'],
            migrations: [ORDERS_MIGRATION],
          },
          orders,
        ),
      ],
      'main',
      ['billing', 'shop'],
    );
    const fleetFile = join(dir, 'fleet-orders.json');
    writeFileSync(fleetFile, JSON.stringify(fleet));
    const { code, report } = await merged([fleetFile, reports.shop]);
    expect(code).toBe(1);
    expect(report.since).toBe('main');
    // shop was unchanged where the fleet report was made, and is reported by shop.json: listed once.
    expect(report.unchanged).toEqual(['billing']);
    expect(report.services.map((s) => [s.service, s.database, s.owners])).toEqual([
      ['orders', 'main', ['@acme/orders-team']],
      ['shop', null, []],
    ]);
  });

  it('refuses a service reported twice, naming both files', async () => {
    const sub = join(dir, 'again');
    mkdirSync(sub, { recursive: true });
    const copy = join(sub, 'orders.json');
    copyFileSync(reports.orders, copy);
    const result = await runCli(['fleet', 'report', reports.orders, copy]);
    expectUsageError(result, /service "orders" is reported by both /);
    expect(result.stderr).toContain(reports.orders);
    expect(result.stderr).toContain(copy);
  });

  it('refuses bad input with one line naming the file: not JSON (with its line and column), missing, neither shape, incomplete', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "safe": true,\n}\n');
    const notJson = await runCli(['fleet', 'report', reports.shop, bad]);
    expectUsageError(notJson, new RegExp(`^${escape(bad)}:3:1: not JSON`));

    const missing = join(dir, 'nowhere.json');
    expectUsageError(
      await runCli(['fleet', 'report', missing]),
      new RegExp(`${escape(missing)}: no such file`),
    );

    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ hello: 'world' }));
    expectUsageError(
      await runCli(['fleet', 'report', other]),
      new RegExp(`${escape(other)}: neither a fleet report .*"safeToDeploy"`),
    );

    const partial = readCheck(reports.shop) as unknown as { validation: Record<string, unknown> };
    delete partial.validation['steps'];
    const incomplete = join(dir, 'incomplete.json');
    writeFileSync(incomplete, JSON.stringify(partial));
    expectUsageError(
      await runCli(['fleet', 'report', incomplete]),
      new RegExp(`${escape(incomplete)}: .*\\$\\.validation\\.steps: missing`),
    );

    const brokenFleet = join(dir, 'broken-fleet.json');
    writeFileSync(brokenFleet, JSON.stringify({ services: [], unchanged: [] }));
    expectUsageError(
      await runCli(['fleet', 'report', brokenFleet]),
      new RegExp(`${escape(brokenFleet)}: not a fleet report: \\$\\.safe: missing`),
    );
  });

  it('warns when fleet reports were made with different --since refs, and keeps the first', async () => {
    const a = join(dir, 'since-a.json');
    const b = join(dir, 'since-b.json');
    writeFileSync(a, JSON.stringify(fleetReport([], 'main', ['x'])));
    writeFileSync(b, JSON.stringify(fleetReport([], 'develop', ['y'])));
    const { code, stderr, report } = await merged([a, b]);
    expect(code).toBe(0);
    expect(report.since).toBe('main');
    expect(report.unchanged).toEqual(['x', 'y']);
    expect(stderr).toMatch(/^schemapilot: warning: .*since-b\.json has --since develop; using --since main/);
  });

  it('writes SARIF whose files are relative to --root', async () => {
    const out = join(dir, 'fleet.sarif');
    const result = await runCli([
      'fleet',
      'report',
      reports.orders,
      '--format',
      'sarif',
      '--root',
      'test/fixtures',
      '-o',
      out,
    ]);
    expect(result.code, result.stderr).toBe(1);
    const log = JSON.parse(readFileSync(out, 'utf8')) as {
      version: string;
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    const uris = new Set(
      log.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri),
    );
    // check ran in the repository, so its file is test/fixtures/services/migration.sql there.
    expect([...uris]).toEqual(['services/migration.sql']);
  });

  it('prints the same comment for a matrix merged by fleet report as for the same services reported at once', async () => {
    const viaMerge = await runCli(['fleet', 'report', reports.orders, reports.shop, '--format', 'markdown']);
    expect(viaMerge.code).toBe(1);
    const identity = (service: string, path: string) => {
      const check = readCheck(path);
      return {
        service,
        dialect: check.analysis.dialect,
        database: null,
        owners: [],
        migrations: migrationsOf(check),
      };
    };
    const direct = fleetReport(
      [
        checkedService(identity('shop', reports.shop), readCheck(reports.shop) as unknown as CheckJson),
        checkedService(identity('orders', reports.orders), readCheck(reports.orders) as unknown as CheckJson),
      ],
      null,
      [],
    );
    expect(viaMerge.stdout).toBe(renderFleetMarkdown(direct));
  });

  it('prints the summary table in text and markdown with the values of the check reports', async () => {
    const text = await runCli(['fleet', 'report', reports.shop, reports.orders]);
    const markdown = await runCli(['fleet', 'report', reports.shop, reports.orders, '--format', 'markdown']);
    for (const [service, path] of [
      ['shop', reports.shop],
      ['orders', reports.orders],
    ] as const) {
      const row = expectedRow(readCheck(path));
      const textRow = text.stdout.split('\n').find((l) => l.startsWith(`${service} `)) ?? '';
      expect(textRow.split(/ {2,}/)).toEqual([
        service,
        `${row.verdict === 'safe' ? '✓' : '✗'} ${row.verdict}`,
        row.breaking,
        row.lock,
        row.steps,
        row.validation,
        row.affected,
      ]);
      const mdRow = markdown.stdout.split('\n').find((l) => l.startsWith(`| ${service} |`)) ?? '';
      expect(mdRow).toBe(
        `| ${[
          service,
          `${row.verdict === 'safe' ? '✅' : '❌'} ${row.verdict}`,
          row.breaking,
          row.lock.replace('<', '&lt;'),
          row.steps,
          row.validation,
          row.affected,
        ].join(' | ')} |`,
      );
    }
    expect(text.stdout.split('\n')[0]).toBe('schemapilot: 1 of 2 changed services needs attention');
    expect(markdown.stdout.split('\n')[0]).toBe('## schemapilot: 1 of 2 changed services needs attention');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
