/**
 * Two real `check --format json` reports for the fleet report's tests, made by the CLI against
 * databases of their own (fleetreport_*) with the target as the scratch server:
 * - `shop.json`, safe: the bundled example's second migration (volatile default, plain index
 *   build and inline foreign key: warnings, and a 9-step plan that deploys them safely);
 * - `orders.json`, unsafe: the impact fixture's migration (a rename and a dropped column that
 *   two services' queries still use), with those two services' code checked.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { PgTarget } from '../setup/targets.js';
import { runCli } from '../support/cli.js';
import { databaseUrl, withClient } from '../support/pg.js';

const SHOP_SCHEMA = readFileSync(new URL('../../examples/shop/schema.sql', import.meta.url), 'utf8');
const SERVICES_SCHEMA = readFileSync(new URL('../fixtures/services/schema.sql', import.meta.url), 'utf8');

export const SHOP_MIGRATION = 'examples/shop/migrations/002_orders_tracking.sql';
export const ORDERS_MIGRATION = 'test/fixtures/services/migration.sql';

/** The parts of `check --format json` the tests compare the fleet's reports with. */
export interface CheckJsonFile {
  analysis: {
    dialect: string;
    statements: { file: string; line: number; findings: { rule: string }[] }[];
    assessment: {
      breaking_changes: string[];
      performance_impact: string;
      lock_duration_estimate: string;
    };
  };
  plan: { steps: unknown[] };
  validation: { passed: boolean };
  checklist: { ok: boolean; label: string; reasons: string[] }[];
  safeToDeploy: boolean;
  impact?: { affected_services: { service: string }[]; services: { service: string }[] };
}

export interface CheckReports {
  /** Paths of the two reports. */
  shop: string;
  orders: string;
  drop(): Promise<void>;
}

/** Runs `check --format json` twice and writes shop.json and orders.json into `dir`. */
export async function makeCheckReports(target: PgTarget, dir: string): Promise<CheckReports> {
  const suffix = randomBytes(4).toString('hex');
  const names = [`fleetreport_shop_${suffix}`, `fleetreport_orders_${suffix}`];
  const drop = () =>
    withClient(target.url, async (c) => {
      for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${name}`);
    });
  const [shopDb, ordersDb] = names.map((n) => databaseUrl(target.url, n)) as [string, string];
  try {
    await withClient(target.url, async (c) => {
      for (const name of names) await c.query(`CREATE DATABASE ${name}`);
    });
    await withClient(shopDb, (c) => c.query(SHOP_SCHEMA));
    await withClient(ordersDb, (c) => c.query(SERVICES_SCHEMA));
    const shop = join(dir, 'shop.json');
    const orders = join(dir, 'orders.json');
    const safe = await runCli([
      'check',
      SHOP_MIGRATION,
      '--db',
      shopDb,
      '--dev-url',
      target.url,
      '--format',
      'json',
      '-o',
      shop,
    ]);
    expect(safe.code, safe.stderr).toBe(0);
    const unsafe = await runCli([
      'check',
      ORDERS_MIGRATION,
      '--db',
      ordersDb,
      '--dev-url',
      target.url,
      '--service',
      'orders-ts=test/fixtures/services/orders-ts',
      '--service',
      'users-go=test/fixtures/services/users-go',
      '--format',
      'json',
      '-o',
      orders,
    ]);
    expect(unsafe.code, unsafe.stderr).toBe(1);
    return { shop, orders, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

export function readCheck(path: string): CheckJsonFile {
  return JSON.parse(readFileSync(path, 'utf8')) as CheckJsonFile;
}

/** What the summary table must say for a check report, worked out from the report itself. */
export function expectedRow(check: CheckJsonFile): {
  verdict: 'safe' | 'unsafe';
  breaking: string;
  lock: string;
  steps: string;
  validation: string;
  affected: string;
} {
  const a = check.analysis.assessment;
  const affected = (check.impact?.affected_services ?? []).map((s) => s.service);
  const checked = check.impact?.services.length ?? 0;
  return {
    verdict: check.safeToDeploy ? 'safe' : 'unsafe',
    breaking: String(a.breaking_changes.length),
    // The estimate without its parenthesis: "0.12 seconds (ACCESS EXCLUSIVE on …)".
    lock: `${a.performance_impact} · ${a.lock_duration_estimate.split(' (')[0] ?? ''}`,
    steps: String(check.plan.steps.length),
    validation: check.validation.passed ? 'passed' : 'failed',
    affected: affected.length > 0 ? affected.join(', ') : checked > 0 ? `0 of ${checked}` : '–',
  };
}

/** Migration files a check report covers: its statements' files, once each, in order. */
export function migrationsOf(check: CheckJsonFile): string[] {
  return [...new Set(check.analysis.statements.map((s) => s.file))];
}
