import { expect, it } from 'vitest';
import { runCli } from './support/cli.js';

// The README's first command must work with nothing but Node and npm: it starts its own
// embedded PostgreSQL, so this test needs no TEST_PG_URLS server.
it('demo runs on an embedded PostgreSQL: the brief example is safe, the tracking migration is not', async () => {
  const result = await runCli(['demo']);
  expect(result.stderr).toContain('loaded examples/shop/schema.sql into PostgreSQL');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/public\.users: ~20k rows/);
  const [first, second] = result.stdout.split('── examples/shop/migrations/002_orders_tracking.sql');
  expect(first).toContain('✓ safe to deploy');
  expect(first).toMatch(/ACCESS EXCLUSIVE on public\.users/);
  expect(first).not.toContain('rewrites table');
  expect(second).toContain('✗ not safe to deploy');
  for (const rule of [
    'add-column-volatile-default',
    'index-create-not-concurrent',
    'foreign-key-validated-inline',
  ]) {
    expect(second).toContain(`[${rule}]`);
  }
}, 120_000);
