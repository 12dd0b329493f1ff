/**
 * The shape of a query as PostgreSQL's parser reads it (dialects/postgres/query-shape.ts): what
 * the "may break" rules and the recheck after each step rely on. No server needed.
 */
import { beforeAll, expect, it } from 'vitest';
import type { QueryShape } from '../../../src/core/dialect/query-shape.js';
import { loadPostgresParser } from '../../../src/dialects/postgres/parser.js';
import { postgresQueryShape } from '../../../src/dialects/postgres/query-shape.js';

beforeAll(loadPostgresParser);

const read = (tables: string[], more: Partial<QueryShape> = {}): QueryShape => ({
  kind: 'select',
  table: null,
  columns: [],
  star: false,
  tables,
  literals: [],
  ...more,
});

const CASES: [string, string, QueryShape[] | null][] = [
  [
    'a CTE name is not a table; the tables inside it are',
    'WITH recent AS (SELECT * FROM orders) SELECT r.id FROM recent r JOIN users u ON u.id = r.user_id',
    [read(['public.orders', 'public.users'])],
  ],
  [
    'a CTE that shadows a table, and the table qualified',
    'WITH orders AS (SELECT 1 AS id) SELECT id FROM orders, public.orders',
    [read(['public.orders'])],
  ],
  [
    'aliases (AS and bare) resolve to their tables',
    'SELECT o.id AS order_id, u.name FROM orders AS o, users u',
    [read(['public.orders', 'public.users'])],
  ],
  ['schema-qualified, alias.*', 'SELECT t.* FROM app.orders t', [read(['app.orders'], { star: true })]],
  ['a quoted name keeps its case', 'SELECT 1 FROM "Orders"', [read(['public.Orders'])]],
  ['count(*) is not a * result', 'SELECT count(*) FROM orders', [read(['public.orders'])]],
  [
    '* on either side of a UNION',
    'SELECT id FROM orders UNION SELECT * FROM users',
    [read(['public.orders', 'public.users'], { star: true })],
  ],
  [
    'a subquery in WHERE names its table; literals are kept',
    "SELECT id FROM orders WHERE user_id IN (SELECT id FROM users WHERE status = 'active')",
    [read(['public.orders', 'public.users'], { literals: ['active'] })],
  ],
  [
    'INSERT … SELECT: the written table, its column list, the source table',
    'INSERT INTO archive.orders (id, total) SELECT id, total FROM orders WHERE total > 0',
    [
      {
        kind: 'insert',
        table: 'archive.orders',
        columns: ['id', 'total'],
        star: false,
        tables: ['archive.orders', 'public.orders'],
        literals: [],
      },
    ],
  ],
  [
    // The source's * fills the columns by position: a change to either column list moves values.
    'INSERT without a column list from SELECT *',
    'INSERT INTO orders SELECT * FROM staging',
    [
      {
        kind: 'insert',
        table: 'public.orders',
        columns: null,
        star: true,
        tables: ['public.orders', 'public.staging'],
        literals: [],
      },
    ],
  ],
  [
    'a CTE feeding an INSERT',
    'WITH s AS (SELECT id FROM staging) INSERT INTO orders (id) SELECT id FROM s',
    [
      {
        kind: 'insert',
        table: 'public.orders',
        columns: ['id'],
        star: false,
        tables: ['public.orders', 'public.staging'],
        literals: [],
      },
    ],
  ],
  [
    'UPDATE … FROM: the columns SET assigns, both tables',
    "UPDATE orders o SET status = 'done', total = s.total FROM staging s WHERE s.id = o.id",
    [
      {
        kind: 'update',
        table: 'public.orders',
        columns: ['status', 'total'],
        star: false,
        tables: ['public.orders', 'public.staging'],
        literals: ['done'],
      },
    ],
  ],
  [
    'UPDATE … RETURNING *',
    'UPDATE orders SET total = $1 WHERE id = $2 RETURNING *',
    [
      {
        kind: 'update',
        table: 'public.orders',
        columns: ['total'],
        star: true,
        tables: ['public.orders'],
        literals: [],
      },
    ],
  ],
  [
    'DELETE … RETURNING *',
    'DELETE FROM orders WHERE id = $1 RETURNING *',
    [
      {
        kind: 'delete',
        table: 'public.orders',
        columns: [],
        star: true,
        tables: ['public.orders'],
        literals: [],
      },
    ],
  ],
  [
    'MERGE: the target and the source',
    'MERGE INTO orders o USING staging s ON s.id = o.id WHEN MATCHED THEN UPDATE SET total = s.total ' +
      'WHEN NOT MATCHED THEN INSERT (id, total) VALUES (s.id, s.total)',
    [
      {
        kind: 'merge',
        table: 'public.orders',
        columns: [],
        star: false,
        tables: ['public.orders', 'public.staging'],
        literals: [],
      },
    ],
  ],
  [
    'one shape per statement',
    'SELECT 1; UPDATE users SET name = $1',
    [
      read([]),
      {
        kind: 'update',
        table: 'public.users',
        columns: ['name'],
        star: false,
        tables: ['public.users'],
        literals: [],
      },
    ],
  ],
  ['DDL is "other"', 'TRUNCATE orders', [{ ...read(['public.orders']), kind: 'other' }]],
  ['the parser refuses it: unknown', 'SELEC 1', null],
];

it.each(CASES)('%s', (_label, sql, expected) => {
  expect(postgresQueryShape(sql, 'public')).toEqual(expected);
});
