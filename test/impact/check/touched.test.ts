/**
 * Which queries are prepared again after a plan step (src/impact/touched.ts): only those naming
 * a table the step changed, and every query whenever the step's reach is in doubt. A query left
 * out wrongly would hide a break, so the doubtful cases are the ones tested.
 */
import { beforeAll, expect, it } from 'vitest';
import type { PlanStep } from '../../../src/core/plan.js';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import { postgresDialect } from '../../../src/dialects/postgres/index.js';
import { postgresQueryShape } from '../../../src/dialects/postgres/query-shape.js';
import { isDue, queryNames, stepReach } from '../../../src/impact/touched.js';

beforeAll(() => postgresDialect.language.load());

const step = (...sql: string[]) => ({ id: 'expand-1', sql }) as PlanStep;
const table = (name: string, partitionOf: string | null = null) =>
  ({ schema: 'public', name, partitionOf }) as SchemaSnapshot['tables'][number];
const snapshot = {
  tables: [
    table('events'),
    table('events_2024', 'public.events'),
    table('events_2024_01', 'public.events_2024'),
  ],
} as SchemaSnapshot;
const due = (sql: string, ...stepSql: string[]) =>
  isDue(
    queryNames(postgresQueryShape(sql, 'public')),
    stepReach(postgresDialect, step(...stepSql), snapshot),
  );

it('prepares again only the queries naming a table the step changed', () => {
  const drop = 'ALTER TABLE orders DROP COLUMN note';
  expect(due('SELECT note FROM orders', drop)).toBe(true);
  expect(due('SELECT o.id FROM users u JOIN orders o ON o.user_id = u.id', drop)).toBe(true);
  expect(due('SELECT id FROM users', drop)).toBe(false);
  // A table of the same name in another schema may now be found first on the search path.
  expect(due('SELECT id FROM orders', 'CREATE TABLE billing.orders (id int)')).toBe(true);
});

it('follows partitions at every level', () => {
  expect(due('SELECT payload FROM events_2024_01', 'ALTER TABLE events DROP COLUMN payload')).toBe(true);
  expect(due('SELECT payload FROM events', 'ALTER TABLE events_2024 DROP COLUMN payload')).toBe(false);
});

it('after a drop, prepares again a query whose string may name a sequence', () => {
  expect(due("SELECT nextval('orders_id_seq')", 'ALTER TABLE orders DROP COLUMN id')).toBe(true);
  expect(due("SELECT nextval('orders_id_seq')", 'ALTER TABLE orders ADD COLUMN x int')).toBe(false);
});

it('prepares everything again when the reach is in doubt', () => {
  const q = 'SELECT id FROM users';
  expect(due(q, "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'")).toBe(true);
  expect(due(q, 'DO $$ BEGIN PERFORM 1; END $$')).toBe(true);
  expect(due(q, 'ALTER TABLE orders DROP COLUMN note CASCADE')).toBe(true);
  expect(due(q, 'SET search_path TO app, public')).toBe(true);
  expect(due(q, 'DROP INDEX orders_code')).toBe(true);
  expect(due(q, 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$')).toBe(true);
  expect(due('SELEC broken', 'ALTER TABLE orders ADD COLUMN x int')).toBe(true);
});

it('skips every query after a step that cannot change how one compiles', () => {
  const q = 'SELECT id FROM orders';
  expect(due(q, 'SET lock_timeout = 1000', 'ALTER TABLE orders VALIDATE CONSTRAINT orders_total')).toBe(
    false,
  );
  expect(due(q, "UPDATE orders SET note = 'x' WHERE id < 1000")).toBe(false);
});
