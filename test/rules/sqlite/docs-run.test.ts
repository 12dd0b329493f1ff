/**
 * The SQL under "Safe alternative" on each SQLite rule's page (docs/rules/sqlite-*.md) runs on
 * the rule-test schema with its rows (test/fixtures/sqlite/rules/schema.sql, rows.sql): the
 * pages' examples use its tables.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDatabase } from '../../dialects/sqlite/support.js';
import { SQLITE_FIXTURE_DIR } from '../../support/sqlite-schema-fixture.js';

const DOCS = new URL('../../../docs/rules/', import.meta.url);
const pages = readdirSync(DOCS).filter((f) => f.startsWith('sqlite-') && f.endsWith('.md'));
let base: ReturnType<typeof tempDatabase>;

beforeAll(() => {
  base = tempDatabase();
  base.db.exec(readFileSync(new URL('schema.sql', SQLITE_FIXTURE_DIR), 'utf8'));
  base.db.exec(readFileSync(new URL('rows.sql', SQLITE_FIXTURE_DIR), 'utf8'));
});
afterAll(() => base.close());

describe('SQLite rule pages: the safe alternative runs', () => {
  it('there are seven pages', () => expect(pages).toHaveLength(7));
  for (const page of pages)
    it(page, () => {
      const text = readFileSync(new URL(page, DOCS), 'utf8');
      const safe = text.slice(text.indexOf('## Safe alternative'), text.indexOf('## When it fires'));
      const sql = /```sql\n([\s\S]+?)\n```/.exec(safe)?.[1] ?? '';
      expect(sql).not.toBe('');
      const path = join(base.path, '..', page.replace(/\.md$/, '.db'));
      copyFileSync(base.path, path);
      const db = new Database(path);
      try {
        expect(() => db.exec(sql)).not.toThrow();
      } finally {
        db.close();
      }
    });
});
