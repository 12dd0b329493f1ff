import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SchemaSnapshot, Table } from '../../../src/core/snapshot.js';
import { introspectPostgres, inspectPostgres } from '../../../src/dialects/postgres/introspect.js';
import { schemaHash } from '../../../src/schema/hash.js';
import { runCli } from '../../support/cli.js';
import { createTempDatabase, describePg, settledWriteCount, type TempDatabase } from '../../support/pg.js';

const fixture = readFileSync(new URL('../../fixtures/all-kinds.sql', import.meta.url), 'utf8');

function table(snapshot: SchemaSnapshot, qualified: string): Table {
  const found = snapshot.tables.find((t) => `${t.schema}.${t.name}` === qualified);
  if (!found) throw new Error(`no table ${qualified} in snapshot`);
  return found;
}

describePg('inspect', (target) => {
  let db: TempDatabase;
  let snapshot: SchemaSnapshot;

  beforeAll(async () => {
    db = await createTempDatabase(target, fixture);
    snapshot = await inspectPostgres(db.url);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reports the server version the server reports', async () => {
    const { rows } = await db.client.query<{ v: number }>(
      `SELECT current_setting('server_version_num')::int AS v`,
    );
    expect(snapshot.serverVersionNum).toBe(rows[0]?.v);
    expect(Math.floor(snapshot.serverVersionNum / 10000)).toBe(target.major);
    expect(snapshot.schemas).toEqual(['billing', 'public']);
  });

  it('reads columns with types, defaults, identity, generated expressions and collations', () => {
    const users = table(snapshot, 'public.users');
    expect(users.columns.map((c) => c.name)).toEqual(['id', 'email', 'name', 'created_at', 'score']);
    const [id, email, name, createdAt, score] = users.columns;
    expect(id).toMatchObject({ type: 'bigint', nullable: false, identity: 'always', default: null });
    expect(email).toMatchObject({ type: 'citext', nullable: false, comment: 'Login, case-insensitive' });
    expect(name).toMatchObject({ type: 'character varying(120)', nullable: true, collation: 'C' });
    expect(createdAt).toMatchObject({ type: 'timestamp with time zone', nullable: false, default: 'now()' });
    expect(score).toMatchObject({ type: 'numeric(10,2)', nullable: true, collation: null });
    expect(users.comment).toBe('People who can sign in');

    const orders = table(snapshot, 'public.orders');
    const tax = orders.columns.find((c) => c.name === 'total_with_tax');
    expect(tax?.generated).toBe('(total * 1.2)'); // as pg_get_expr prints it
    expect(tax?.default).toBeNull();
    expect(orders.columns.find((c) => c.name === 'id')?.default).toBe(`nextval('orders_id_seq'::regclass)`);
    expect(orders.columns.find((c) => c.name === 'status')?.type).toBe('order_status');
  });

  it('reads primary keys, unique, check, exclusion and foreign keys with actions and validation', () => {
    const users = table(snapshot, 'public.users');
    expect(users.primaryKey).toEqual({ name: 'users_pkey', columns: ['id'] });
    expect(users.uniqueConstraints.map((u) => [u.name, u.columns])).toEqual([['users_email_key', ['email']]]);

    const orders = table(snapshot, 'public.orders');
    expect(orders.checkConstraints.map((c) => [c.name, c.validated])).toEqual([
      ['orders_total_cap', false],
      ['orders_total_positive', true],
    ]);
    expect(orders.foreignKeys).toEqual([
      {
        name: 'orders_user_fk',
        columns: ['user_id'],
        referencedSchema: 'public',
        referencedTable: 'users',
        referencedColumns: ['id'],
        onUpdate: 'RESTRICT',
        onDelete: 'CASCADE',
        match: 'SIMPLE',
        deferrable: false,
        validated: true,
      },
    ]);

    const invoices = table(snapshot, 'billing.invoices');
    expect(invoices.foreignKeys.map((f) => [f.name, f.validated])).toEqual([
      ['invoices_order_fk_nv', false],
      ['invoices_order_id_fkey', true],
    ]);
    const bookings = table(snapshot, 'billing.room_bookings');
    expect(bookings.exclusionConstraints).toEqual([
      { name: 'no_double_booking', definition: 'EXCLUDE USING gist (room WITH =, during WITH &&)' },
    ]);
  });

  it('reads indexes: method, partial predicate, INCLUDE, expressions, constraint backing, validity', () => {
    const orders = table(snapshot, 'public.orders');
    const byName = new Map(orders.indexes.map((i) => [i.name, i]));
    expect(byName.get('orders_user_id_idx')).toMatchObject({
      columns: ['user_id'],
      include: ['status'],
      unique: false,
      method: 'btree',
      predicate: null,
      valid: true,
    });
    expect(byName.get('orders_pending_idx')?.predicate).toBe(`status = 'pending'::order_status`);
    expect(byName.get('orders_pkey')).toMatchObject({
      primary: true,
      unique: true,
      constraint: 'orders_pkey',
    });
    const users = table(snapshot, 'public.users');
    expect(users.indexes.find((i) => i.name === 'users_lower_name_idx')).toMatchObject({
      method: 'hash',
      columns: ['lower(name::text)'],
    });
  });

  it('marks an index left INVALID by a failed concurrent build', async () => {
    const scratch = await createTempDatabase(
      target,
      `CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1);`,
    );
    try {
      await expect(
        scratch.client.query('CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a)'),
      ).rejects.toThrow();
      const snap = await inspectPostgres(scratch.url);
      expect(table(snap, 'public.t').indexes).toMatchObject([{ name: 't_a_key', valid: false }]);
    } finally {
      await scratch.drop();
    }
  });

  it('reads row estimates and sizes that agree with the server after ANALYZE', async () => {
    const users = table(snapshot, 'public.users');
    // The fixture ends with ANALYZE, which sets relpages to the real page counts of the heap,
    // its TOAST table and each index; the snapshot reads relpages instead of touching files.
    const { rows } = await db.client.query<{ n: string; heap: string; idx: string }>(
      `SELECT count(*) AS n,
              pg_relation_size('public.users') +
                coalesce((SELECT pg_relation_size(reltoastrelid) FROM pg_class
                          WHERE oid = 'public.users'::regclass AND reltoastrelid <> 0), 0) AS heap,
              pg_indexes_size('public.users') AS idx
       FROM users`,
    );
    expect(users.stats.rowEstimate).toBe(Number(rows[0]?.n));
    expect(users.stats.tableBytes).toBe(Number(rows[0]?.heap));
    expect(users.stats.indexBytes).toBe(Number(rows[0]?.idx));
    expect(users.stats.indexBytes).toBeGreaterThan(0);
  });

  it('measures a never-analyzed table on disk instead of reporting zero bytes', async () => {
    const scratch = await createTempDatabase(target);
    try {
      await scratch.client.query(
        `CREATE TABLE fresh AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 2000) g`,
      );
      const { rows } = await scratch.client.query<{ bytes: string; tuples: number }>(
        `SELECT pg_relation_size('fresh') AS bytes, reltuples::float8 AS tuples FROM pg_class WHERE relname = 'fresh'`,
      );
      const fresh = table(await inspectPostgres(scratch.url), 'public.fresh');
      expect(Number(rows[0]?.bytes)).toBeGreaterThan(0);
      if ((rows[0]?.tuples ?? 0) < 0) {
        // PostgreSQL 14+: reltuples = -1 until the first VACUUM or ANALYZE.
        expect(fresh.stats.rowEstimate).toBeNull();
        expect(fresh.stats.tableBytes).toBe(Number(rows[0]?.bytes));
      }
    } finally {
      await scratch.drop();
    }
  });

  it('reads partitioned tables and their partitions', () => {
    expect(table(snapshot, 'public.events')).toMatchObject({
      kind: 'partitioned table',
      partitionKey: 'RANGE (happened_at)',
    });
    expect(table(snapshot, 'public.events_2026')).toMatchObject({
      kind: 'table',
      partitionOf: 'public.events',
      partitionBound: `FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`,
    });
  });

  it('reads views and materialized views with the columns they depend on', () => {
    const active = snapshot.views.find((v) => v.name === 'active_users');
    expect(active).toMatchObject({ schema: 'public', materialized: false });
    expect(active?.dependsOn).toEqual([{ relation: 'public.users', columns: ['created_at', 'email', 'id'] }]);
    expect(active?.columns.map((c) => c.name)).toEqual(['id', 'email']);
    const totals = snapshot.views.find((v) => v.name === 'order_totals');
    expect(totals).toMatchObject({ materialized: true });
    expect(totals?.dependsOn).toEqual([{ relation: 'public.orders', columns: ['total', 'user_id'] }]);
    expect(totals?.indexes.map((i) => [i.name, i.unique])).toEqual([['order_totals_user_idx', true]]);
  });

  it('reads sequences, enums, triggers, functions and extensions', () => {
    expect(snapshot.enums).toEqual([
      { schema: 'public', name: 'order_status', values: ['pending', 'paid', 'shipped'] },
    ]);
    const numbers = snapshot.sequences.find((s) => s.name === 'invoice_numbers');
    expect(numbers).toMatchObject({ start: '1000', increment: '10', ownedBy: null, dataType: 'bigint' });
    expect(snapshot.sequences.find((s) => s.name === 'orders_id_seq')?.ownedBy).toBe('public.orders.id');
    expect(snapshot.sequences.find((s) => s.name === 'users_id_seq')?.ownedBy).toBe('public.users.id');
    expect(table(snapshot, 'public.users').triggers).toMatchObject([
      { name: 'users_touch', function: 'public.touch_created_at', enabled: 'origin' },
    ]);
    expect(snapshot.functions.map((f) => `${f.schema}.${f.name}(${f.arguments})`)).toEqual([
      'public.touch_created_at()',
    ]);
    expect(snapshot.functions[0]?.definition).toMatch(
      /^CREATE OR REPLACE FUNCTION public\.touch_created_at\(\)\s+RETURNS trigger/,
    );
    expect(snapshot.extensions.map((e) => e.name)).toEqual(
      expect.arrayContaining(['btree_gist', 'citext', 'plpgsql']),
    );
  });

  it('stores NOT NULL as a named constraint on PostgreSQL 18+ and as a flag before', async () => {
    const email = table(snapshot, 'public.users').columns.find((c) => c.name === 'email');
    if (target.major >= 18) {
      expect(email?.notNullConstraint).toEqual({ name: 'users_email_not_null', validated: true });
      // PG18 can add NOT NULL as NOT VALID; the column still returns NULLs from old rows.
      const scratch = await createTempDatabase(
        target,
        `CREATE TABLE t (b int); INSERT INTO t VALUES (NULL);
         ALTER TABLE t ADD CONSTRAINT t_b_nn NOT NULL b NOT VALID;`,
      );
      try {
        const b = table(await inspectPostgres(scratch.url), 'public.t').columns[0];
        expect(b).toMatchObject({ nullable: true, notNullConstraint: { name: 't_b_nn', validated: false } });
      } finally {
        await scratch.drop();
      }
    } else {
      expect(email?.notNullConstraint).toBeUndefined();
    }
    // Never reported as CHECK constraints on any version.
    for (const t of snapshot.tables) {
      expect(t.checkConstraints.every((c) => c.definition.startsWith('CHECK'))).toBe(true);
    }
  });

  it('is deterministic and hashes structure, not statistics or the database name', async () => {
    const again = await inspectPostgres(db.url);
    expect(JSON.stringify(again)).toBe(JSON.stringify(snapshot));
    expect(schemaHash(snapshot)).toBe(snapshot.hash);

    const clone = await createTempDatabase(target, fixture);
    try {
      const cloneSnap = await inspectPostgres(clone.url);
      expect(cloneSnap.database).not.toBe(snapshot.database);
      expect(cloneSnap.hash).toBe(snapshot.hash);

      await clone.client.query(
        `INSERT INTO users (email) SELECT 'x' || g FROM generate_series(1, 500) g; ANALYZE users`,
      );
      const moreRows = await inspectPostgres(clone.url);
      expect(table(moreRows, 'public.users').stats.rowEstimate).toBe(550);
      expect(moreRows.hash).toBe(snapshot.hash);

      await clone.client.query(`ALTER TABLE users ADD COLUMN nickname text`);
      expect((await inspectPostgres(clone.url)).hash).not.toBe(snapshot.hash);
    } finally {
      await clone.drop();
    }
  });

  it('never writes: works on a database that refuses writes, and leaves write counters alone', async () => {
    const scratch = await createTempDatabase(target, fixture);
    try {
      await scratch.client.query(`ALTER DATABASE ${scratch.name} SET default_transaction_read_only = on`);
      const before = await settledWriteCount(scratch.client);
      expect(before).toBeGreaterThan(0); // the fixture's rows are counted: the counter works
      const snap = await inspectPostgres(scratch.url);
      expect(snap.tables.length).toBeGreaterThan(0);
      expect(await settledWriteCount(scratch.client)).toBe(before);
    } finally {
      await scratch.drop();
    }
  });

  it('uses the same number of catalog queries for 3 tables as for 60', async () => {
    const count = async (tables: number): Promise<number> => {
      const ddl = Array.from(
        { length: tables },
        (_, i) => `CREATE TABLE t${i} (id int PRIMARY KEY, v text);`,
      ).join('\n');
      const scratch = await createTempDatabase(target, ddl);
      try {
        let queries = 0;
        const counting = new Proxy(scratch.client, {
          get(client, key, receiver) {
            if (key === 'query') {
              return (...args: Parameters<pg.Client['query']>) => {
                queries++;
                return (client.query as (...a: unknown[]) => unknown)(...args);
              };
            }
            return Reflect.get(client, key, receiver) as unknown;
          },
        });
        const snap = await introspectPostgres(counting);
        expect(snap.tables).toHaveLength(tables);
        return queries;
      } finally {
        await scratch.drop();
      }
    };
    const few = await count(3);
    const many = await count(60);
    expect(many).toBe(few);
    expect(few).toBeLessThanOrEqual(16);
  });

  it('inspects only the schemas asked for, and rejects unknown ones', async () => {
    const billingOnly = await inspectPostgres(db.url, { schemas: ['billing'] });
    expect(billingOnly.tables.map((t) => t.name)).toEqual(['invoices', 'room_bookings']);
    await expect(inspectPostgres(db.url, { schemas: ['nope'] })).rejects.toThrow(/unknown schema "nope"/);
  });

  it('CLI: --format json prints the snapshot, which round-trips every object kind', async () => {
    const result = await runCli(['inspect', '--db', db.url, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as SchemaSnapshot;
    expect(parsed).toEqual(snapshot);
    expect(schemaHash(parsed)).toBe(snapshot.hash);
    const kinds = {
      tables: parsed.tables.length,
      partitions: parsed.tables.filter((t) => t.partitionOf).length,
      views: parsed.views.filter((v) => !v.materialized).length,
      matviews: parsed.views.filter((v) => v.materialized).length,
      checks: parsed.tables.flatMap((t) => t.checkConstraints).length,
      uniques: parsed.tables.flatMap((t) => t.uniqueConstraints).length,
      fks: parsed.tables.flatMap((t) => t.foreignKeys).length,
      exclusions: parsed.tables.flatMap((t) => t.exclusionConstraints).length,
      triggers: parsed.tables.flatMap((t) => t.triggers).length,
      sequences: parsed.sequences.length,
      functions: parsed.functions.length,
      enums: parsed.enums.length,
    };
    for (const [kind, n] of Object.entries(kinds)) expect(n, kind).toBeGreaterThan(0);
  });

  it("CLI: --table prints the brief's shape; DATABASE_URL is the default --db", async () => {
    const result = await runCli(['inspect', '--table', 'orders', '--format', 'json'], {
      env: { DATABASE_URL: db.url },
    });
    expect(result.code).toBe(0);
    const shape = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(shape).sort()).toEqual(['columns', 'foreign_keys', 'indexes', 'primary_key']);
    expect(shape['primary_key']).toEqual({ name: 'orders_pkey', constrained_columns: ['id'] });
    expect(shape['foreign_keys']).toEqual([
      {
        name: 'orders_user_fk',
        constrained_columns: ['user_id'],
        referred_schema: 'public',
        referred_table: 'users',
        referred_columns: ['id'],
        options: { ondelete: 'CASCADE', onupdate: 'RESTRICT' },
      },
    ]);
    expect((shape['indexes'] as { name: string }[]).map((i) => i.name)).toEqual([
      'orders_pending_idx',
      'orders_user_id_idx',
    ]);
  });

  it('CLI: text output names tables, columns and sizes', async () => {
    const result = await runCli(['inspect', '--db', db.url, '--schema', 'billing']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('billing.invoices');
    expect(result.stdout).toMatch(
      /foreign key invoices_order_fk_nv \(order_id\) → public\.orders \(id\).*NOT VALID/,
    );
    expect(result.stdout).not.toContain('public.users');
  });

  it('CLI: unknown table or schema is a one-line error with exit code 2', async () => {
    const table = await runCli(['inspect', '--db', db.url, '--table', 'nope']);
    expect(table.code).toBe(2);
    expect(table.stderr.trim().split('\n')).toHaveLength(1);
    expect(table.stderr).toContain('unknown table "nope"');
    const schema = await runCli(['inspect', '--db', db.url, '--schema', 'ghost']);
    expect(schema.code).toBe(2);
    expect(schema.stderr).toContain('unknown schema "ghost"');
  });

  it('CLI: a role that may not log in is an auth error, exit 2, password not printed', async () => {
    await db.client.query(`DO $$ BEGIN CREATE ROLE sp_nologin NOLOGIN PASSWORD 'hunter2-secret';
      EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    const url = new URL(db.url);
    url.username = 'sp_nologin';
    url.password = 'hunter2-secret';
    const result = await runCli(['inspect', '--db', url.toString()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /cannot connect to .*: (authentication rejected|password authentication failed)/,
    );
    expect(result.stderr).not.toContain('hunter2-secret');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

it('CLI: unreachable host, bad URL and missing --db are one-line errors, exit 2, no password', async () => {
  const refused = await runCli(['inspect', '--db', 'postgres://admin:hunter2-secret@127.0.0.1:1/app']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toBe(
    'schemapilot: cannot connect to 127.0.0.1:1/app: connection refused (is the server running and listening on that port?)\n',
  );

  const badUrl = await runCli(['inspect', '--db', 'oracle://admin:hunter2-secret@localhost/app']);
  expect(badUrl.code).toBe(2);
  expect(badUrl.stderr).toMatch(/ not oracle:\/\/\n$/);
  expect(badUrl.stderr).not.toContain('hunter2-secret');

  const garbage = await runCli(['inspect', '--db', 'not a url']);
  expect(garbage.code).toBe(2);
  expect(garbage.stderr).toContain('invalid database URL');

  const missing = await runCli(['inspect']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('pass --db');

  const badFormat = await runCli(['inspect', '--db', 'postgres://x@127.0.0.1:1/x', '--format', 'yaml']);
  expect(badFormat.code).toBe(2);
  expect(badFormat.stderr).toContain('--format must be one of text, json; got "yaml"');
});
