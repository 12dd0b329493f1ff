/**
 * The schema MySQL rule tests analyse against: test/fixtures/mysql/rules/schema.sql as MariaDB
 * inspects it (schema.json, kept in step by test/rules/mysql/schema-fixture.test.ts), in a
 * database named `shop`, with row counts set here around the default largeTableRows (100,000):
 * `users`, `orders`, `articles`, `legacy_log` and `tags` are large, `settings` small, `audit`
 * empty. `version` picks the server the analysis targets (MariaDB 10.11 or a MySQL 8 for
 * documented-only behaviour).
 */
import { readFileSync } from 'node:fs';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { schemaHash } from '../../src/schema/hash.js';

export const MYSQL_FIXTURE_DIR = new URL('../fixtures/mysql/rules/', import.meta.url);

export const MYSQL_TEST_ROWS: Readonly<Record<string, number>> = {
  articles: 500_000,
  audit: 0,
  legacy_log: 300_000,
  orders: 2_000_000,
  settings: 50,
  tags: 200_000,
  users: 1_000_000,
};

/** `10.11.6-MariaDB` (default) or a MySQL version such as `8.0.36`. */
export function mysqlTestSchema(version = '10.11.6-MariaDB'): SchemaSnapshot {
  const structure = JSON.parse(
    readFileSync(new URL('schema.json', MYSQL_FIXTURE_DIR), 'utf8'),
  ) as SchemaSnapshot;
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  const snapshot: SchemaSnapshot = {
    ...structure,
    serverVersion: version,
    serverVersionNum: major * 10000 + minor * 100 + patch,
    tables: structure.tables.map((t) => {
      const rows = MYSQL_TEST_ROWS[t.name] ?? 0;
      // An empty table as the analysis counts one empty (no rows, at most one page).
      return { ...t, stats: { indexBytes: rows * 40, rowEstimate: rows, tableBytes: rows * 120 } };
    }),
  };
  return { ...snapshot, hash: schemaHash(snapshot) };
}
