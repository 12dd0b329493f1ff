import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectPostgres } from '../../../src/dialects/postgres/introspect.js';
import { quoteIdent, quoteLiteral } from '../../../src/dialects/postgres/quote.js';
import { createTempDatabase, describePg, type TempDatabase } from '../../support/pg.js';

/**
 * inspect assembles plain index definitions itself instead of calling pg_get_indexdef (see
 * catalog-queries.ts), and quotes identifiers itself: both must match the server exactly.
 */
describePg('catalog details', (target) => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase(
      target,
      `CREATE SCHEMA "Odd Schema";
       CREATE TABLE "Odd Schema"."User" ("Id" int PRIMARY KEY, "order" text, name text COLLATE "C", n int, at timestamptz);
       CREATE INDEX plain_idx ON "Odd Schema"."User" (n);
       CREATE INDEX desc_idx ON "Odd Schema"."User" (n DESC, at NULLS FIRST);
       CREATE INDEX desc_nulls_last_idx ON "Odd Schema"."User" (n DESC NULLS LAST);
       CREATE UNIQUE INDEX "Mixed Case Idx" ON "Odd Schema"."User" ("order") INCLUDE (n, "Id");
       CREATE INDEX collate_idx ON "Odd Schema"."User" ("order" COLLATE "C");
       CREATE INDEX own_collation_idx ON "Odd Schema"."User" (name);
       CREATE INDEX opclass_idx ON "Odd Schema"."User" ("order" text_pattern_ops);
       CREATE INDEX partial_idx ON "Odd Schema"."User" (n) WHERE n > 10;
       CREATE INDEX expr_idx ON "Odd Schema"."User" (lower("order"), n);
       CREATE INDEX fill_idx ON "Odd Schema"."User" (n) WITH (fillfactor = 70);
       CREATE INDEX brin_idx ON "Odd Schema"."User" USING brin (at);
       CREATE TABLE parted (id int, d date) PARTITION BY RANGE (d);
       CREATE INDEX parted_idx ON parted (d);
       CREATE TABLE nn (a int);
       ${target.major >= 15 ? 'CREATE UNIQUE INDEX nnd_idx ON nn (a) NULLS NOT DISTINCT;' : ''}`,
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('index definitions equal pg_get_indexdef for every kind of index', async () => {
    const snapshot = await inspectPostgres(db.url);
    const ours = new Map(
      snapshot.tables.flatMap((t) => t.indexes.map((i) => [i.name, i.definition] as const)),
    );
    const { rows } = await db.client.query<{ name: string; def: string }>(
      `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('i', 'I') AND n.nspname IN ('public', 'Odd Schema')`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(14);
    for (const row of rows) expect(ours.get(row.name), row.name).toBe(row.def);
  });

  it('quoteIdent agrees with quote_ident for every keyword and for odd names', async () => {
    const { rows } = await db.client.query<{ word: string; quoted: string }>(
      `SELECT word, quote_ident(word) AS quoted FROM pg_get_keywords()
       UNION ALL SELECT w, quote_ident(w) FROM unnest(ARRAY['users', 'User', 'my-table', 'a"b', '_x1', '1abc', 'with$dollar', 'ünï', '']) w`,
    );
    for (const { word, quoted } of rows) expect(quoteIdent(word), word).toBe(quoted);
  });

  it('quoteLiteral agrees with quote_literal', async () => {
    const values = ["it's", 'back\\slash', 'plain', "both ' and \\"];
    const { rows } = await db.client.query<{ q: string }>(
      `SELECT quote_literal(v) AS q FROM unnest($1::text[]) WITH ORDINALITY u(v, n) ORDER BY n`,
      [values],
    );
    expect(rows.map((r) => r.q)).toEqual(values.map(quoteLiteral));
  });
});
