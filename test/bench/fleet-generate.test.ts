/**
 * Keeps `bench fleet` measuring what bench/RESULTS.md says it does: the generated repository
 * has 20 services whose migrations schemapilot reads in the layout they were written in, and
 * `fleet list --changed --since main` selects exactly the 5 services whose migrations changed
 * (not the one whose code changed). No database needed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CHANGES, writeFleetRepository } from '../../bench/fleet/generate.js';
import { readMigrations } from '../../src/api/read.js';
import { run } from '../../src/cli/program.js';

const dir = mkdtempSync(join(tmpdir(), 'sp-bench-fleet-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fleet = writeFleetRepository(join(dir, 'repo'));

it('selects exactly the five services whose migrations changed on the branch', async () => {
  const output = join(dir, 'matrix.json');
  const code = await run([
    'fleet',
    'list',
    '--config',
    fleet.config,
    '--changed',
    '--since',
    'main',
    '--format',
    'json',
    '-o',
    output,
  ]);
  expect(code).toBe(0);
  const matrix = JSON.parse(readFileSync(output, 'utf8')) as { include: { service: string }[] };
  expect(matrix.include.map((s) => s.service).sort()).toEqual(Object.keys(CHANGES).sort());
  expect(fleet.services).toHaveLength(20);
  expect(new Set(fleet.services.map((s) => s.database)).size).toBe(3);
});

it("reads every service's migrations in the layout it was written in, the change last", async () => {
  const config = JSON.parse(readFileSync(fleet.config, 'utf8')) as {
    services: { name: string; migrations: string }[];
  };
  for (const service of fleet.services) {
    const entry = config.services.find((s) => s.name === service.name);
    const read = await readMigrations(join(fleet.root, entry?.migrations ?? ''), { cwd: fleet.root });
    expect(read.layout, service.name).toBe(service.layout);
    // One create-table migration per table and an index, plus the branch's change.
    const change = CHANGES[service.name];
    expect(read.files, service.name).toHaveLength(service.tables.length + 1 + (change ? 1 : 0));
    if (change) expect(read.files.at(-1)?.path, service.name).toContain(change.title);
  }
});
