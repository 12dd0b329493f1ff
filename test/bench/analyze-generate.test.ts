/**
 * Keeps the analyze benchmark's scaling inputs what bench/RESULTS.md says they are: the
 * generated snapshot is one `analyze --schema` accepts and uses, the migration written over it
 * names its tables, and the Prisma history is read as Prisma's layout, in Prisma's order.
 * Small sizes of the same generators; no timing. No database needed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateMigration } from '../../bench/analyze/generate.js';
import { writePrismaHistory } from '../../bench/analyze/prisma-history.js';
import { generateSnapshot, snapshotJson, tablePool } from '../../bench/analyze/snapshot.js';
import { readMigrations } from '../../src/api/read.js';
import { run } from '../../src/cli/program.js';
import { schemaHash } from '../../src/schema/hash.js';
import { checkSnapshot } from '../../src/schema/snapshot-input.js';

const dir = mkdtempSync(join(tmpdir(), 'sp-bench-analyze-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the generated snapshot', () => {
  const snapshot = generateSnapshot(60);

  it('is a valid snapshot with a real hash, the same bytes for the same seed', () => {
    const json = snapshotJson(snapshot);
    const checked = checkSnapshot(JSON.parse(json));
    expect('problem' in checked ? checked.problem : null).toBeNull();
    const { hash, ...rest } = snapshot;
    expect(schemaHash(rest)).toBe(hash);
    expect(snapshotJson(generateSnapshot(60))).toBe(json);
  });

  it('has tables of 10 columns, a primary key, 2 more indexes and a foreign key to a table it holds', () => {
    const names = new Set(snapshot.tables.map((t) => t.name));
    expect(names.size).toBe(60);
    for (const t of snapshot.tables) {
      expect(t.columns).toHaveLength(10);
      expect(t.primaryKey?.columns).toEqual(['id']);
      expect(t.indexes.filter((i) => !i.primary)).toHaveLength(2);
      expect(t.foreignKeys).toHaveLength(1);
      expect(names.has(t.foreignKeys[0]?.referencedTable ?? '')).toBe(true);
    }
  });

  it('is loaded and used by analyze --schema, over a migration that names its tables', async () => {
    const sql = generateMigration(300, undefined, tablePool(snapshot));
    // The built-in tables are replaced by the snapshot's.
    expect(sql).not.toMatch(/\b(ALTER TABLE|ON) (users|accounts|orders)\b/);
    const named = new Set(sql.match(/\bt\d{4}_[a-z]+\b/g));
    expect(named.size).toBeGreaterThan(40);

    const file = join(dir, 'over-snapshot.sql');
    const schema = join(dir, 'snapshot.json');
    const output = join(dir, 'report.json');
    writeFileSync(file, sql);
    writeFileSync(schema, snapshotJson(snapshot));
    const before = process.exitCode;
    const code = await run(['analyze', file, '--schema', schema, '--format', 'json', '-o', output]);
    process.exitCode = before;
    expect([0, 1]).toContain(code);
    const report = JSON.parse(readFileSync(output, 'utf8')) as {
      statements: unknown[];
      assumptions: string[];
    };
    expect(report.statements).toHaveLength(300);
    expect(report.assumptions.filter((a) => a.startsWith('no schema given'))).toEqual([]);
  });
});

it('writes a Prisma history that is read as Prisma layout, in folder order', async () => {
  const history = writePrismaHistory(join(dir, 'app'), 30);
  expect(existsSync(join(history.dir, 'migration_lock.toml'))).toBe(true);
  for (const file of history.files) {
    expect(basename(file)).toBe('migration.sql');
    expect(basename(dirname(file))).toMatch(/^\d{14}_[a-z_]+$/);
  }
  const read = await readMigrations(history.dir);
  expect(read.layout).toBe('prisma');
  expect(read.files.map((f) => f.path)).toEqual(history.files);
});
