/**
 * The fleet's renderers on real check reports (made by the CLI in beforeAll): the PR comment
 * names owners without notifying them, opens what needs attention and stays under GitHub's size
 * limit; the terminal table lines up with or without colour; SARIF merges every service's
 * findings with repository-relative files. Expected values come from the check reports.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FleetServiceReport } from '../../src/core/fleet.js';
import { readJsonFile } from '../../src/core/json-input.js';
import { checkedService, fleetReport, uncheckedService, type CheckJson } from '../../src/fleet/summary.js';
import { colourPainter, plainPainter } from '../../src/reporters/ansi.js';
import { renderFleetMarkdown, renderFleetSarif, renderFleetText } from '../../src/reporters/fleet/index.js';
import { describePg } from '../support/pg.js';
import {
  makeCheckReports,
  migrationsOf,
  readCheck,
  type CheckJsonFile,
  type CheckReports,
} from './report-support.js';

describePg('fleet report (renderers)', (target) => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-fleetrender-'));
  let reports: CheckReports;
  let shop: CheckJsonFile;
  let orders: CheckJsonFile;

  beforeAll(async () => {
    reports = await makeCheckReports(target, dir);
    shop = readCheck(reports.shop);
    orders = readCheck(reports.orders);
  }, 180_000);
  afterAll(async () => {
    await reports?.drop();
  });

  const service = (
    name: string,
    check: CheckJsonFile,
    extra: { owners?: string[]; database?: string } = {},
  ): FleetServiceReport =>
    checkedService(
      {
        service: name,
        dialect: check.analysis.dialect,
        database: extra.database ?? null,
        owners: extra.owners ?? [],
        migrations: migrationsOf(check),
      },
      structuredClone(check) as unknown as CheckJson,
    );

  it('writes the comment: headline, since, table, unchanged services, details open where attention is needed, owners that notify no one', () => {
    const report = fleetReport(
      [
        service('orders', orders, { owners: ['@acme/orders-team', '@jane'], database: 'main' }),
        service('shop', shop, { owners: ['@acme/shop'] }),
      ],
      'origin/main',
      ['billing', 'search'],
    );
    const md = renderFleetMarkdown(report);
    const lines = md.split('\n');
    expect(lines[0]).toBe('## schemapilot: 1 of 2 changed services needs attention');
    expect(md).toContain('Migrations changed since `origin/main`.');
    expect(md).toContain('\nNot changed: billing, search.\n');
    // The owners are named as entities: shown as @…, and nobody is notified on every push.
    expect(md).not.toMatch(/(^|[^\w&#])@[\w-]/m);
    expect(md).toContain('&#64;acme/orders-team, &#64;jane');
    const open = lines.findIndex((l) => l === '<details open>');
    expect(lines[open + 1]).toBe('<summary>❌ <b>orders</b>: unsafe (postgres, database main)</summary>');
    const closed = lines.findIndex((l) => l === '<details>');
    expect(lines[closed + 1]).toBe('<summary>✅ <b>shop</b>: safe (postgres)</summary>');
    // Each service's section has check --format markdown's pieces: checklist, approach, impact.
    const ordersSection = md.slice(md.indexOf('<details open>'), md.indexOf('<details>\n<summary>✅'));
    expect(ordersSection.length).toBeGreaterThan(0);
    for (const item of orders.checklist)
      expect(ordersSection).toContain(`${item.ok ? '✅' : '❌'} ${item.label}`);
    expect(ordersSection).toContain('<details><summary>Recommended approach</summary>');
    expect(ordersSection).toContain('### Cross-service impact');
    expect(md.split('<details').length).toBe(md.split('</details>').length);
  });

  it('says all are safe when they are, and counts skipped and failed services as needing attention', () => {
    const safe = fleetReport([service('shop', shop), service('catalog', shop)], null, []);
    expect(renderFleetMarkdown(safe).split('\n')[0]).toBe(
      '## schemapilot: all 2 changed services are safe to deploy',
    );
    expect(renderFleetText(safe).split('\n')[0]).toBe(
      'schemapilot: all 2 changed services are safe to deploy',
    );

    const identity = (name: string) => ({
      service: name,
      dialect: 'sqlite',
      database: null,
      owners: [],
      migrations: [`${name}/001.sql`],
    });
    const mixed = fleetReport(
      [
        service('shop', shop),
        uncheckedService(identity('edge'), 'skipped', 'sqlite services are not supported yet'),
        uncheckedService(identity('ledger'), 'failed', 'replaying its unchanged migrations: syntax error'),
      ],
      null,
      [],
    );
    expect(mixed.safe).toBe(false);
    const md = renderFleetMarkdown(mixed);
    expect(md.split('\n')[0]).toBe('## schemapilot: 2 of 3 changed services need attention');
    expect(md).toContain('| edge | ⏭ skipped | – | – | – | not run | – |');
    expect(md).toContain('| ledger | ⚠ failed | – | – | – | not run | – |');
    expect(md).toContain('**Skipped:**\n\n- sqlite services are not supported yet');
    expect(md).toContain('**Failed:**\n\n- replaying its unchanged migrations: syntax error');
    const text = renderFleetText(mixed);
    expect(text).toContain(
      '── edge: - skipped (sqlite)\nmigrations: edge/001.sql\nskipped:\n  - sqlite services are not supported yet',
    );
  });

  it('lines the terminal table up the same with colour as without', () => {
    const report = fleetReport([service('orders', orders), service('shop', shop)], null, []);
    // eslint-disable-next-line no-control-regex -- the escape codes colourPainter writes
    const stripped = renderFleetText(report, colourPainter).replace(/\u001b\[\d+m/g, '');
    expect(stripped).toBe(renderFleetText(report, plainPainter));
    expect(renderFleetText(report, colourPainter)).not.toBe(stripped);
  });

  it("keeps a 30-service comment under GitHub's limit: every table row stays, details are shortened and say so", () => {
    const many = fleetReport(
      Array.from({ length: 30 }, (_, i) =>
        service(`svc-${String(i).padStart(2, '0')}`, i % 3 ? orders : shop),
      ),
      null,
      [],
    );
    const full = renderFleetMarkdown(many, { maxChars: 10_000_000 });
    expect(full.length).toBeGreaterThan(60_000);
    const md = renderFleetMarkdown(many);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toContain("shortened to fit GitHub's comment size limit");
    for (const s of many.services) expect(md).toContain(`| ${s.service} | `);
    expect(md.split('<details').length).toBe(md.split('</details>').length);

    const tiny = renderFleetMarkdown(many, { maxChars: 8_000 });
    expect(tiny.length).toBeLessThanOrEqual(8_000);
    expect(tiny).toMatch(/_… and the details of \d+ more services \(see the table above\)\._/);
    expect(tiny.split('<details').length).toBe(tiny.split('</details>').length);
  });

  it('writes one SARIF log with every service’s findings, on repository-relative files', () => {
    const root = '/work/repo';
    // As a report with absolute file names would have them: made relative to the root.
    const absolute = structuredClone(orders);
    for (const s of absolute.analysis.statements) s.file = `${root}/${s.file}`;
    const report = fleetReport([service('orders', absolute), service('shop', shop)], 'main', []);
    const log = JSON.parse(renderFleetSarif(report, { toolVersion: '9.9.9', root })) as {
      version: string;
      runs: {
        tool: { driver: { version: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          locations: {
            physicalLocation: {
              artifactLocation: { uri: string; uriBaseId?: string };
              region: { startLine: number };
            };
          }[];
          properties: { service: string };
        }[];
        properties: { safe: boolean; services: { service: string; verdict: string }[] };
      }[];
    };
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run?.tool.driver.version).toBe('9.9.9');
    const expected = [
      ...orders.analysis.statements.flatMap((s) =>
        s.findings.map((f) => ['orders', f.rule, s.file, s.line] as const),
      ),
      ...shop.analysis.statements.flatMap((s) =>
        s.findings.map((f) => ['shop', f.rule, s.file, s.line] as const),
      ),
    ];
    expect(expected.length).toBeGreaterThan(3);
    expect(
      run?.results.map((r) => {
        const at = r.locations[0]?.physicalLocation;
        expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
        expect(at?.artifactLocation.uriBaseId).toBe('%SRCROOT%');
        return [r.properties.service, r.ruleId, at?.artifactLocation.uri, at?.region.startLine];
      }),
    ).toEqual(expected);
    expect(run?.properties.safe).toBe(false);
    expect(run?.properties.services).toEqual([
      expect.objectContaining({ service: 'orders', verdict: 'unsafe' }),
      expect.objectContaining({ service: 'shop', verdict: 'safe' }),
    ]);
  });
});

it('says where a JSON file stops being JSON, as file:line:column', async () => {
  const { writeFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'sp-json-'));
  const cases: [string, string][] = [
    ['{\n  "a": 1,\n}', ':3:1: not JSON'],
    ['[1,\n 2 3]', ':2:4: not JSON'],
    ['{"a": ', ':1:7: not JSON'],
  ];
  for (const [text, where] of cases) {
    const file = join(dir, 'x.json');
    writeFileSync(file, text);
    expect(() => readJsonFile(file)).toThrow(`${file}${where}`);
  }
  expect(() => readJsonFile(join(dir, 'none.json'))).toThrow('none.json: no such file');
});
