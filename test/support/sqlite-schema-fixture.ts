/**
 * The schema SQLite rule tests analyse against: test/fixtures/sqlite/rules/schema.sql as the
 * SQLite inspect reads it (schema.json, kept in step by test/rules/sqlite/schema-fixture.test.ts),
 * with row counts set here around the default largeTableRows (100,000): `users`, `orders`,
 * `order_items` and `tags` are large, `settings` small, `audit` empty. `version` picks the
 * SQLite the analysis targets (3.53.2, the bundled library, by default).
 */
import { readFileSync } from 'node:fs';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { schemaHash } from '../../src/schema/hash.js';

export const SQLITE_FIXTURE_DIR = new URL('../fixtures/sqlite/rules/', import.meta.url);

export const SQLITE_TEST_ROWS: Readonly<Record<string, number>> = {
  audit: 0,
  order_items: 3_000_000,
  orders: 2_000_000,
  settings: 50,
  tags: 200_000,
  users: 1_000_000,
};

/** SQLITE_VERSION_NUMBER of `3.x.y`: the fact key the dialect uses. */
export function sqliteVersionNumber(version: string): number {
  const [major = 3, minor = 0, patch = 0] = version.split('.').map(Number);
  return major * 1_000_000 + minor * 1000 + patch;
}

export function sqliteTestSchema(version = '3.53.2'): SchemaSnapshot {
  const structure = JSON.parse(readFileSync(new URL('schema.json', SQLITE_FIXTURE_DIR), 'utf8')) as Omit<
    SchemaSnapshot,
    'hash'
  >;
  const snapshot: Omit<SchemaSnapshot, 'hash'> = {
    ...structure,
    serverVersion: version,
    serverVersionNum: sqliteVersionNumber(version),
    tables: structure.tables.map((t) => {
      const rows = SQLITE_TEST_ROWS[t.name] ?? 0;
      // ~100 bytes a row, as SQLite stores these tables; an empty table is one page.
      return {
        ...t,
        stats: { indexBytes: rows * 30, rowEstimate: rows, tableBytes: Math.max(4096, rows * 100) },
      };
    }),
  };
  return { ...snapshot, hash: schemaHash(snapshot) };
}
