/**
 * `schemapilot impact` and `check --service` on a MariaDB target, run as a user runs them: the
 * dialect from the --db URL, the fixture services of test/fixtures/mysql/impact, the scratch
 * server a throwaway mariadbd (when installed) or --dev-url.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImpactResult } from '../../../src/core/impact.js';
import { findMariadbBinaries } from '../../../src/dialects/mysql/scratch/throwaway.js';
import { runCli } from '../../support/cli.js';
import { createTempDatabase, describeMysql, type TempDatabase } from '../../dialects/mysql/support.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/mysql/impact');
const SCHEMA = readFileSync(join(FIXTURES, 'schema.sql'), 'utf8')
  .split(';')
  .map((s) => s.trim())
  .filter((s) => s !== '');
const MIGRATION = join(FIXTURES, 'migration.sql');
const TS = `shop-ts=${join(FIXTURES, 'shop-ts')}`;
const PY = `shop-py=${join(FIXTURES, 'shop-py')}`;

describeMysql('impact on MariaDB (CLI)', (serverUrl) => {
  let target: TempDatabase;
  beforeAll(async () => {
    target = await createTempDatabase(serverUrl, SCHEMA);
  });
  afterAll(async () => {
    await target?.drop();
  });

  /** The affected queries as `service file:line:column status breaksAt code`. */
  const affected = (result: ImpactResult) =>
    result.affected_services.flatMap((s) =>
      s.queries.map((q) =>
        `${s.service} ${q.file}:${q.line}:${q.column} ${q.status} ${q.breaksAt} ${q.error?.code ?? ''}`.trim(),
      ),
    );

  it.runIf(findMariadbBinaries() !== undefined)(
    'impact --db --service --format json, on a throwaway mariadbd: the queries the DROP COLUMN breaks, exit 1',
    { timeout: 120_000 },
    async () => {
      const r = await runCli([
        'impact',
        '--db',
        target.url,
        '--service',
        TS,
        '--service',
        PY,
        MIGRATION,
        '--format',
        'json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('starting an embedded scratch server');
      const result = JSON.parse(r.stdout) as ImpactResult;
      expect(affected(result)).toEqual([
        'shop-ts src/items.ts:7:36 broken contract-1 1054',
        'shop-ts src/items.ts:36:36 may break contract-1',
        'shop-py shop/items.py:9:25 broken contract-1 1054',
      ]);
      expect(
        result.services.map((s) => [s.service, s.queriesFound, s.queriesChecked, s.alreadyBroken.length]),
      ).toEqual([
        ['shop-ts', 7, 5, 1],
        ['shop-py', 3, 3, 0],
      ]);
    },
  );

  it('impact --dev-url: the same answer, in text with the server message', { timeout: 120_000 }, async () => {
    const r = await runCli([
      'impact',
      '--db',
      target.url,
      '--dev-url',
      serverUrl,
      '--service',
      TS,
      '--service',
      PY,
      MIGRATION,
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('✗ Cross-service impact: 2 of 2 services affected');
    expect(r.stdout).toContain(
      "src/items.ts:7:36 broken at contract-1\n    1054 Unknown column 'title' in 'SELECT'",
    );
    expect(r.stdout).toContain(
      "already broken before the migration: src/items.ts:30 1054 Unknown column 'nickname' in 'SELECT'",
    );
    // Prepared again after the plan's one step, the one that drops the column.
    expect(r.stderr).toContain('applying contract-1 and preparing the queries again');
  });

  it('a migration that breaks nothing: exit 0', { timeout: 120_000 }, async () => {
    const r = await runCli([
      'impact',
      '--db',
      target.url,
      '--dev-url',
      serverUrl,
      '--service',
      PY,
      '--change',
      'ALTER TABLE orders ADD COLUMN shipped_at datetime NULL',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as ImpactResult).affected_services).toEqual([]);
  });

  it(
    'check --service puts the impact in its JSON and is not safe to deploy',
    { timeout: 120_000 },
    async () => {
      const r = await runCli([
        'check',
        '--db',
        target.url,
        '--dev-url',
        serverUrl,
        '--service',
        PY,
        MIGRATION,
        '--format',
        'json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as { safeToDeploy: boolean; impact: ImpactResult };
      expect(report.safeToDeploy).toBe(false);
      expect(affected(report.impact)).toEqual(['shop-py shop/items.py:9:25 broken contract-1 1054']);
    },
  );
});
