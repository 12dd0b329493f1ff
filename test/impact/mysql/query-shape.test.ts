/**
 * The MySQL query shape (what "may break" and the per-step filter read): written table and
 * columns, `*`, the tables named without CTEs or a DELETE's aliases, and string literals, with
 * unqualified names in the default schema (the target's database).
 */
import { beforeAll, expect, it } from 'vitest';
import { mysqlQueryShape } from '../../../src/dialects/mysql/query-shape.js';
import { loadMysqlParser } from '../../../src/dialects/mysql/parser.js';

beforeAll(async () => {
  await loadMysqlParser();
});

const shape = (sql: string) => mysqlQueryShape(sql, 'shop');

it('reads a SELECT: *, tables named (a CTE is not one), literals', () => {
  expect(shape("SELECT * FROM items i WHERE i.title = 'x' AND id = $1")).toEqual([
    { kind: 'select', table: null, columns: [], star: true, tables: ['shop.items'], literals: ['x'] },
  ]);
  expect(
    shape(
      'WITH x AS (SELECT id FROM items) SELECT x.id, o.qty FROM x JOIN sales.orders o ON o.item_id = x.id',
    ),
  ).toEqual([
    {
      kind: 'select',
      table: null,
      columns: [],
      star: false,
      tables: ['sales.orders', 'shop.items'],
      literals: [],
    },
  ]);
  expect(shape('SELECT id FROM items UNION SELECT * FROM orders')?.[0]?.star).toBe(true);
  expect(shape('SELECT id FROM items WHERE id IN $1')?.[0]?.tables).toEqual(['shop.items']);
});

it('reads the table and columns an INSERT, REPLACE or UPDATE writes', () => {
  expect(shape('INSERT INTO items (id, title) VALUES ($1, $2)')?.[0]).toMatchObject({
    kind: 'insert',
    table: 'shop.items',
    columns: ['id', 'title'],
  });
  expect(shape('INSERT INTO items SET id = $1, price = $2')?.[0]).toMatchObject({ columns: ['id', 'price'] });
  expect(shape('REPLACE INTO items VALUES ($1, $2, $3)')?.[0]).toMatchObject({
    kind: 'insert',
    table: 'shop.items',
    columns: null,
  });
  expect(shape('INSERT INTO archive (id) SELECT * FROM items')?.[0]).toMatchObject({ star: true });
  expect(shape('UPDATE items SET price = $1 WHERE id = $2')?.[0]).toMatchObject({
    kind: 'update',
    table: 'shop.items',
    columns: ['price'],
  });
  expect(shape('UPDATE items i JOIN orders o ON o.item_id = i.id SET i.price = o.qty')?.[0]).toMatchObject({
    table: 'shop.items',
    columns: ['price'],
    tables: ['shop.items', 'shop.orders'],
  });
});

it("reads the table a DELETE writes, through a multi-table DELETE's alias", () => {
  expect(shape('DELETE FROM items WHERE id = $1')?.[0]).toMatchObject({
    kind: 'delete',
    table: 'shop.items',
  });
  expect(shape('DELETE o FROM orders o JOIN items i ON i.id = o.item_id')?.[0]).toMatchObject({
    table: 'shop.orders',
    tables: ['shop.items', 'shop.orders'],
  });
});

it('gives null for what it cannot read: the query is then prepared after every step', () => {
  expect(shape('INSERT INTO orders SET $1')).toBeNull();
  expect(shape('SELECT id FROM items WHERE id = $1 RETURNING nothing')).toBeNull();
});
