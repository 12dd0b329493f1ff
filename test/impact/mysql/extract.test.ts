/**
 * What the extractor finds in the MySQL fixture services (test/fixtures/mysql/impact): mysql2
 * `query` and `execute` with `?`, PyMySQL `cursor.execute/executemany` with `%s` and `%(name)s`,
 * each normalised to `$n` at the line and column where its SQL starts; REPLACE is a query.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { extractService } from '../../../src/impact/extract/index.js';
import { sqlKind } from '../../../src/impact/extract/sql-text.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/mysql/impact');
const found = async (name: string) =>
  (await extractService({ name, path: join(FIXTURES, name) })).queries.map(
    (q) => `${q.file}:${q.line}:${q.column} ${q.api} ${q.sql}`,
  );

it('finds the mysql2 calls of the TypeScript service', async () => {
  expect(await found('shop-ts')).toEqual([
    'src/items.ts:7:36 pool.query SELECT id, title FROM items WHERE id = $1',
    'src/items.ts:13:36 pool.query SELECT id, price FROM items WHERE id IN $1',
    'src/items.ts:19:29 connection.execute INSERT INTO orders (item_id, qty) VALUES ($1, $2)',
    "src/items.ts:24:36 pool.query SELECT id FROM orders WHERE note <> '$1' AND item_id = $1",
    'src/items.ts:30:36 pool.query SELECT nickname FROM items WHERE id = $1',
    'src/items.ts:36:36 pool.query SELECT * FROM items WHERE id = $1',
    'src/items.ts:42:21 pool.query INSERT INTO orders SET $1',
  ]);
});

it('finds the PyMySQL calls of the Python service', async () => {
  expect(await found('shop-py')).toEqual([
    'shop/items.py:9:25 cursor.execute SELECT title FROM items WHERE id = $1',
    'shop/items.py:17:14 cursor.execute SELECT item_id, SUM(qty) FROM orders WHERE item_id IN $1 GROUP BY item_id',
    'shop/items.py:26:29 cursor.executemany INSERT INTO orders (item_id, qty) VALUES ($1, $2)',
  ]);
});

it("reads MySQL's REPLACE as a query and its administrative statements as SQL that is not one", () => {
  expect(sqlKind('REPLACE INTO items (id) VALUES (?)')).toBe('query');
  expect(sqlKind('USE shop')).toBe('other');
  expect(sqlKind('FLUSH TABLES')).toBe('other');
});
