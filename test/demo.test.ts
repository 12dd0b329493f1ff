import { expect, it } from 'vitest';
import { runCli } from './support/cli.js';

// The README's first command must work with nothing but Node and npm: it starts its own
// embedded PostgreSQL, so this test needs no TEST_PG_URLS server.
it('demo runs on an embedded PostgreSQL and shows the bundled example', async () => {
  const result = await runCli(['demo']);
  expect(result.stderr).toContain('loaded examples/shop/schema.sql into PostgreSQL');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/public\.users table · ~20k rows/);
  expect(result.stdout).toMatch(/public\.orders table · ~60k rows/);
  expect(result.stdout).toContain('foreign key orders_user_id_fkey (user_id) → public.users (id)');
}, 120_000);
