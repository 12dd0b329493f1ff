import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { snapshotDdl } from '../../src/dialects/postgres/validate/clone.js';
import { readNullFractions } from '../../src/dialects/postgres/validate/null-fractions.js';
import { copySampleRows } from '../../src/dialects/postgres/validate/sample.js';
import { synthesizeRows, type TableDataReport } from '../../src/dialects/postgres/validate/synthesize.js';
import {
  createTempDatabase,
  describePg,
  settledWriteCount,
  withClient,
  type TempDatabase,
} from '../support/pg.js';

const SCHEMA = `
CREATE SCHEMA shop;
CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');
CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  nickname varchar(12),
  mood mood NOT NULL,
  profile jsonb,
  external_id uuid NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  referrer_id bigint REFERENCES customers (id),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  balance numeric(10, 2) CHECK (balance >= 0)
);
CREATE TABLE shop.products (
  sku text PRIMARY KEY,
  price numeric(8, 2) NOT NULL CHECK (price > 0),
  tags text[],
  active boolean NOT NULL DEFAULT true,
  "Display Name" varchar(40)
);
CREATE TABLE orders (
  id serial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  placed_on date NOT NULL,
  note text,
  ip inet,
  data bytea,
  amount numeric(12, 2) NOT NULL,
  amount_with_tax numeric(12, 2) GENERATED ALWAYS AS (amount * 1.2) STORED
);
CREATE TABLE order_lines (
  order_id int NOT NULL REFERENCES orders (id),
  line_no int NOT NULL,
  sku text NOT NULL REFERENCES shop.products (sku),
  quantity smallint NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, line_no)
);
CREATE TABLE shop.product_pairs (
  a text NOT NULL REFERENCES shop.products (sku),
  b text NOT NULL REFERENCES shop.products (sku),
  PRIMARY KEY (a, b)
);
CREATE TABLE impossible (id int PRIMARY KEY, code text NOT NULL CHECK (length(code) = 37));
CREATE TABLE "Teams" (id int PRIMARY KEY, captain_id int);
CREATE TABLE players (id int PRIMARY KEY, team_id int NOT NULL REFERENCES "Teams" (id));
ALTER TABLE "Teams" ADD CONSTRAINT teams_captain_fk FOREIGN KEY (captain_id) REFERENCES players (id);
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload json) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_rest PARTITION OF events DEFAULT;
CREATE MATERIALIZED VIEW customer_orders AS SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id;
`;

/** Every foreign key of the database, with its orphan count (MATCH SIMPLE: a NULL column is no reference). */
async function orphans(client: pg.Client): Promise<Record<string, number>> {
  const { rows } = await client.query<{
    conname: string;
    child: string;
    parent: string;
    fk: string[];
    pk: string[];
  }>(`
    SELECT c.conname::text AS conname, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
           (SELECT array_agg(quote_ident(attname::text) ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(a, n)
              JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.a) AS fk,
           (SELECT array_agg(quote_ident(attname::text) ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(a, n)
              JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.a) AS pk
      FROM pg_constraint c WHERE c.contype = 'f'`);
  const out: Record<string, number> = {};
  for (const r of rows) {
    const notNull = r.fk.map((c) => `x.${c} IS NOT NULL`).join(' AND ');
    const join = r.fk.map((c, i) => `p.${r.pk[i] ?? ''} = x.${c}`).join(' AND ');
    const { rows: n } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${r.child} x WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${r.parent} p WHERE ${join})`,
    );
    out[r.conname] = n[0]?.n ?? -1;
  }
  return out;
}

async function count(client: pg.Client, sql: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(sql);
  return rows[0]?.n ?? -1;
}

/** The snapshot has no domains, so the copy target gets this DDL rather than snapshotDdl. */
const EVERYTHING = `CREATE TYPE color AS ENUM ('red', 'green');
       CREATE DOMAIN positive AS int CHECK (VALUE > 0);
       CREATE TABLE everything (
         s smallint NOT NULL UNIQUE, i int NOT NULL, b bigint NOT NULL, n numeric NOT NULL, n2 numeric(4, 2) NOT NULL,
         r real NOT NULL, d double precision NOT NULL, m money NOT NULL, t text NOT NULL, v3 varchar(3) NOT NULL UNIQUE,
         c char(5) NOT NULL, ch "char" NOT NULL, nm name NOT NULL, bo boolean NOT NULL, da date NOT NULL,
         ts timestamp NOT NULL, tz timestamptz NOT NULL, ti time NOT NULL, tt timetz NOT NULL, iv interval NOT NULL,
         u uuid NOT NULL, j json NOT NULL, jb jsonb NOT NULL, by bytea NOT NULL, ip inet NOT NULL, ci cidr NOT NULL,
         ma macaddr NOT NULL, m8 macaddr8 NOT NULL, bi bit(3) NOT NULL, vb varbit NOT NULL, x xml NOT NULL,
         tv tsvector NOT NULL, pt point NOT NULL, ir int4range NOT NULL, dr daterange NOT NULL, ca color[] NOT NULL,
         ua uuid[] NOT NULL, po positive NOT NULL, ia int[] NOT NULL UNIQUE, e color NOT NULL
       );`;

function byTable(reports: TableDataReport[]): Record<string, TableDataReport> {
  return Object.fromEntries(reports.map((r) => [r.table, r]));
}

describePg('scratch data: synthesized and sampled rows', (target) => {
  const N = 20;
  let db: TempDatabase;
  let snapshot: SchemaSnapshot;
  let reports: Record<string, TableDataReport>;

  beforeAll(async () => {
    db = await createTempDatabase(target, SCHEMA);
    snapshot = await inspectPostgres(db.url);
    reports = byTable(await synthesizeRows(db.client, snapshot, N));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('fills every table with N rows, parents first, and reports the one it cannot fill', async () => {
    for (const table of [
      'public.customers',
      'shop.products',
      'public.orders',
      'public.order_lines',
      'shop.product_pairs',
      'public.Teams',
      'public.players',
      'public.events',
    ]) {
      expect(reports[table], table).toEqual({ table, rows: N });
    }
    for (const [table, sql] of [
      ['customers', 'SELECT count(*)::int AS n FROM customers'],
      ['order_lines', 'SELECT count(*)::int AS n FROM order_lines'],
      ['product_pairs', 'SELECT count(*)::int AS n FROM shop.product_pairs'],
      ['events', 'SELECT count(*)::int AS n FROM events'],
    ] as const) {
      expect(await count(db.client, sql), table).toBe(N);
    }
    // Rows reach the partitions through the parent; the default partition gets none of these dates.
    expect(reports['public.events_2024']).toEqual({ table: 'public.events_2024', rows: N });
    expect(reports['public.events_rest']?.rows).toBe(0);
    expect(reports['public.customer_orders']?.rows).toBeGreaterThan(0);

    const impossible = reports['public.impossible'];
    expect(impossible?.rows).toBe(0);
    expect(impossible?.skipped).toMatch(/^insert failed: 23514: .*impossible_code_check/);
    expect(await count(db.client, 'SELECT count(*)::int AS n FROM impossible')).toBe(0);
  });

  it('keeps foreign keys, unique keys and checks: no orphans, no duplicates', async () => {
    const fks = await orphans(db.client);
    expect(Object.keys(fks).length).toBe(8);
    expect(Object.values(fks).every((n) => n === 0)).toBe(true);
    // Self-reference and the cycle's nullable side were filled after the insert.
    expect(await count(db.client, 'SELECT count(referrer_id)::int AS n FROM customers')).toBeGreaterThan(
      N / 2,
    );
    expect(await count(db.client, 'SELECT count(captain_id)::int AS n FROM "Teams"')).toBeGreaterThan(N / 2);
    expect(await count(db.client, 'SELECT count(DISTINCT email)::int AS n FROM customers')).toBe(N);
    expect(await count(db.client, 'SELECT count(DISTINCT external_id)::int AS n FROM customers')).toBe(N);
    expect(
      await count(
        db.client,
        "SELECT count(*)::int AS n FROM customers WHERE status NOT IN ('active', 'blocked')",
      ),
    ).toBe(0);
    expect(await count(db.client, 'SELECT count(DISTINCT mood)::int AS n FROM customers')).toBe(3);
    expect(await count(db.client, 'SELECT min(price * 100)::int AS n FROM shop.products')).toBeGreaterThan(0);
    // A foreign key outside the primary key cycles through all parents.
    expect(await count(db.client, 'SELECT count(DISTINCT sku)::int AS n FROM order_lines')).toBe(N);
    // Non-unique columns repeat values: adding UNIQUE to them fails like on real data.
    expect(await count(db.client, 'SELECT count(DISTINCT placed_on)::int AS n FROM orders')).toBeLessThan(N);
    const { rows } = await db.client.query<{ tags: string[]; profile: unknown; ip: string | null }>(
      'SELECT tags, profile, host(ip) AS ip FROM shop.products, customers, orders WHERE tags IS NOT NULL AND profile IS NOT NULL AND ip IS NOT NULL LIMIT 1',
    );
    expect(rows[0]?.tags.length).toBe(2);
    expect(rows[0]?.profile).toMatchObject({ n: expect.any(Number) as unknown });
    expect(rows[0]?.ip).toMatch(/^10\.\d+\.\d+\.\d+$/);
  });

  it('leaves NULLs in nullable columns, so SET NOT NULL fails on the scratch copy (23502)', async () => {
    for (const column of ['nickname', 'profile', 'balance', 'referrer_id']) {
      const nulls = await count(
        db.client,
        `SELECT count(*)::int AS n FROM customers WHERE ${column} IS NULL`,
      );
      expect(nulls, column).toBeGreaterThan(0);
      expect(nulls, column).toBeLessThan(N);
    }
    const error = await db.client.query('ALTER TABLE customers ALTER COLUMN nickname SET NOT NULL').then(
      () => undefined,
      (e: { code?: string }) => e,
    );
    expect(error?.code).toBe('23502');
    // Casting the generated text to a number fails too, as it would on most real text.
    const cast = await db.client
      .query('ALTER TABLE orders ALTER COLUMN note TYPE integer USING note::integer')
      .then(
        () => undefined,
        (e: { code?: string }) => e,
      );
    expect(cast?.code).toBe('22P02');
  });

  it('copySampleRows copies N of M rows with the source values, foreign keys holding', async () => {
    const clone = await createTempDatabase(target);
    try {
      await clone.client.query('SET check_function_bodies = off');
      for (const s of snapshotDdl(snapshot)) await clone.client.query(s.sql);
      const sample = 7;
      const copied = byTable(await copySampleRows(db.client, clone.client, snapshot, sample));
      for (const table of [
        'public.customers',
        'shop.products',
        'public.orders',
        'public.Teams',
        'public.players',
      ]) {
        expect(copied[table], table).toEqual({ table, rows: sample });
      }
      expect(copied['public.impossible']).toEqual({ table: 'public.impossible', rows: 0 });
      // Children chose rows whose parents were copied.
      expect(copied['public.order_lines']?.rows).toBeGreaterThan(0);
      expect(Object.values(await orphans(clone.client)).every((n) => n === 0)).toBe(true);

      const text = async (client: pg.Client, sql: string) =>
        (await client.query<{ t: string }>(sql)).rows.map((r) => r.t);
      const sourceRows = new Set(await text(db.client, 'SELECT c::text AS t FROM orders c'));
      const cloneRows = await text(clone.client, 'SELECT c::text AS t FROM orders c');
      expect(cloneRows.length).toBe(sample);
      for (const row of cloneRows) expect(sourceRows.has(row), row).toBe(true);
      const products = new Set(await text(db.client, 'SELECT p::text AS t FROM shop.products p'));
      for (const row of await text(clone.client, 'SELECT p::text AS t FROM shop.products p'))
        expect(products.has(row), row).toBe(true);
      // Customers: the identity and jsonb columns came across; a referrer that was not copied became NULL.
      const customers = await text(
        clone.client,
        'SELECT (c.id, c.email, c.mood, c.profile, c.external_id, c.created_at)::text AS t FROM customers c',
      );
      const sourceCustomers = new Set(
        await text(
          db.client,
          'SELECT (c.id, c.email, c.mood, c.profile, c.external_id, c.created_at)::text AS t FROM customers c',
        ),
      );
      for (const row of customers) expect(sourceCustomers.has(row), row).toBe(true);

      // Sequences moved past the copied keys: a new row does not collide.
      await clone.client.query(
        "INSERT INTO orders (customer_id, placed_on, amount) SELECT id, date '2025-01-01', 1 FROM customers LIMIT 1",
      );
      await clone.client.query(
        "INSERT INTO customers (email, mood, external_id) VALUES ('new', 'sad', md5('new')::uuid)",
      );
      // The session is back to normal: constraints fire again.
      const error = await clone.client
        .query('INSERT INTO orders (customer_id, placed_on, amount) VALUES (-1, now(), 1)')
        .then(
          () => undefined,
          (e: { code?: string }) => e,
        );
      expect(error?.code).toBe('23503');
    } finally {
      await clone.drop();
    }
  });

  it('generates a value for every common built-in type, domains and arrays of enums included', async () => {
    const types = await createTempDatabase(target, EVERYTHING);
    try {
      const reports = await synthesizeRows(types.client, await inspectPostgres(types.url), 30);
      expect(reports).toEqual([{ table: 'public.everything', rows: 30 }]);
      // Every one of those types round-trips exactly through copySampleRows (values travel as text).
      const snap = await inspectPostgres(types.url);
      const clone = await createTempDatabase(target, EVERYTHING);
      try {
        expect(await copySampleRows(types.client, clone.client, snap, 30)).toEqual([
          { table: 'public.everything', rows: 30 },
        ]);
        const all = "SELECT string_agg(e::text, E'\\n' ORDER BY s) AS t FROM everything e";
        const [a, b] = await Promise.all([types.client.query(all), clone.client.query(all)]);
        expect(b.rows).toEqual(a.rows);
      } finally {
        await clone.drop();
      }
    } finally {
      await types.drop();
    }
  });

  it('follows the NULL share of the real columns from pg_stats, read without writing', async () => {
    const source = await createTempDatabase(
      target,
      `CREATE TABLE measured (id int PRIMARY KEY, full_col text, half_col text);
       INSERT INTO measured SELECT i, 'v' || i, CASE WHEN i % 2 = 0 THEN NULL ELSE 'h' || i END
         FROM generate_series(1, 400) AS g(i);
       CREATE TABLE tree (id int PRIMARY KEY, parent_id int REFERENCES tree (id));
       INSERT INTO tree SELECT i, greatest(i - 1, 1) FROM generate_series(1, 100) AS g(i);
       ANALYZE measured;
       ANALYZE tree;
       -- Never analysed (10 rows stay under autovacuum's threshold of 50): no statistics.
       CREATE TABLE unmeasured (id int PRIMARY KEY, note text);
       INSERT INTO unmeasured SELECT i, 'n' || i FROM generate_series(1, 10) AS g(i);`,
    );
    const clone = await createTempDatabase(target);
    try {
      const snap = await inspectPostgres(source.url);
      // The source refuses writes from new sessions; readNullFractions works all the same.
      await source.client.query(`ALTER DATABASE ${source.name} SET default_transaction_read_only = on`);
      const writesBefore = await settledWriteCount(source.client);
      const nullFraction = await withClient(source.url, async (c) => {
        const read = await c.query<{ ro: string }>(
          "SELECT current_setting('default_transaction_read_only') AS ro",
        );
        expect(read.rows[0]?.ro).toBe('on');
        return readNullFractions(c);
      });
      expect(await settledWriteCount(source.client)).toBe(writesBefore);
      expect(nullFraction('public.measured', 'full_col')).toBe(0);
      expect(nullFraction('public.measured', 'half_col')).toBeGreaterThan(0.3);
      expect(nullFraction('public.measured', 'half_col')).toBeLessThan(0.7);
      expect(nullFraction('public.tree', 'parent_id')).toBe(0);
      expect(nullFraction('public.unmeasured', 'note')).toBeUndefined();

      await clone.client.query('SET check_function_bodies = off');
      for (const s of snapshotDdl(snap)) await clone.client.query(s.sql);
      const filled = byTable(await synthesizeRows(clone.client, snap, 50, { nullFraction }));
      expect(filled['public.measured']).toEqual({ table: 'public.measured', rows: 50 });
      expect(filled['public.tree']).toEqual({ table: 'public.tree', rows: 50 });
      expect(filled['public.unmeasured']).toEqual({ table: 'public.unmeasured', rows: 50 });

      const nulls = (table: string, column: string) =>
        count(clone.client, `SELECT count(*)::int AS n FROM ${table} WHERE ${column} IS NULL`);
      const setNotNull = (table: string, column: string) =>
        clone.client.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL`).then(
          () => 'ok',
          (e: { code?: string }) => e.code,
        );
      // No NULL in the real column: none on the copy, SET NOT NULL succeeds as it would for real.
      expect(await nulls('measured', 'full_col')).toBe(0);
      expect(await setNotNull('measured', 'full_col')).toBe('ok');
      expect(await nulls('tree', 'parent_id')).toBe(0);
      expect(await setNotNull('tree', 'parent_id')).toBe('ok');
      expect(Object.values(await orphans(clone.client)).every((n) => n === 0)).toBe(true);
      // Half NULL for real: NULLs on the copy (capped at one row of five), SET NOT NULL fails.
      expect(await nulls('measured', 'half_col')).toBe(10);
      expect(await setNotNull('measured', 'half_col')).toBe('23502');
      // No statistics: the default one row of five.
      expect(await nulls('unmeasured', 'note')).toBe(10);
      expect(await setNotNull('unmeasured', 'note')).toBe('23502');
    } finally {
      await clone.drop();
      await source.drop();
    }
  });

  it('puts at least one NULL in a column whose real NULL share is tiny', async () => {
    const db = await createTempDatabase(target, 'CREATE TABLE t (id int PRIMARY KEY, a text, b text)');
    try {
      const snap = await inspectPostgres(db.url);
      const nullFraction = (table: string, column: string) =>
        table === 'public.t' ? (column === 'a' ? 0.0001 : 0) : undefined;
      expect(await synthesizeRows(db.client, snap, 30, { nullFraction })).toEqual([
        { table: 'public.t', rows: 30 },
      ]);
      expect(await count(db.client, 'SELECT count(*)::int AS n FROM t WHERE a IS NULL')).toBe(1);
      expect(await count(db.client, 'SELECT count(*)::int AS n FROM t WHERE b IS NULL')).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it('does nothing for zero rows and refuses a negative count', async () => {
    const empty = await createTempDatabase(target, SCHEMA);
    try {
      const snap = await inspectPostgres(empty.url);
      const zero = await synthesizeRows(empty.client, snap, 0);
      expect(zero.filter((r) => r.rows > 0)).toEqual([]);
      await expect(synthesizeRows(empty.client, snap, -1)).rejects.toThrow(RangeError);
    } finally {
      await empty.drop();
    }
  });
});
