import { expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// The README's first command must work with nothing but Node and npm: it starts its own
// embedded PostgreSQL, so this test needs no TEST_PG_URLS server.
it('demo runs check --dry-run on the bundled example on an embedded PostgreSQL', async () => {
  const result = await runCli(['demo']);
  expect(result.stderr).toContain('loaded examples/shop/schema.sql into PostgreSQL');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/public\.users: ~20k rows/);
  const [head, report] = result.stdout.split('── Analysis');
  // The brief's checklist, in its order, before the report.
  expect(head?.trim().split('\n').slice(-4)).toEqual([
    '✓ Schema analyzed: 0 breaking changes',
    expect.stringMatching(/^✓ Migration generated: \d+ lines SQL in 10 steps$/),
    expect.stringMatching(
      /^✓ Validation passed on test database \(PostgreSQL 18 scratch database, [\d.]+ s\)$/,
    ),
    '✓ Safe to deploy to production (deploy the plan, not the migration as written)',
  ]);
  // The file as written is not safe on tables this size; the plan is what was proven.
  expect(report).toContain('✗ not safe to deploy');
  for (const rule of [
    'add-column-volatile-default',
    'index-create-not-concurrent',
    'foreign-key-validated-inline',
  ])
    expect(report).toContain(`[${rule}]`);
  expect(report).toMatch(/data: 2,000 rows in 2 tables/);
  expect(report).toContain('✓ end schema equals the migration as written');
  expect(report).toContain('✓ rollback restores the original schema');
}, 120_000);
