/**
 * "May break" for writes: a new CHECK, a new UNIQUE (constraint or index), a narrower type and
 * a renamed enum value. The query still prepares after the change; each listed write is shown
 * to fail on a database migrated as written (23514, 23505, 22001, 22003, 22P02) and to run
 * before it, and each look-alike (a read, another table, a column the write does not touch, a
 * widened type) is shown not to be listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import { plan as planMigration } from '../../../src/api/plan.js';
import type { SchemaSource } from '../../../src/core/dialect/validation.js';
import type { ImpactedQuery } from '../../../src/core/impact.js';
import type { Plan } from '../../../src/core/plan.js';
import { postgresDialect } from '../../../src/dialects/postgres/index.js';
import { inspectPostgres } from '../../../src/dialects/postgres/introspect.js';
import { openScratchServer, type ScratchServer } from '../../../src/dialects/postgres/scratch/scratch.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { checkImpact } from '../../../src/impact/check.js';
import { createTempDatabase, describePg, type TempDatabase } from '../../support/pg.js';
import { service, sqlstateOf } from './support.js';

const SCHEMA = `
CREATE TYPE order_status AS ENUM ('new', 'shipped');
CREATE TABLE orders (
  id bigint PRIMARY KEY, total numeric, status varchar(20), code text, state order_status, note text
);
-- Look-alikes: the same column names on another table.
CREATE TABLE carts (id bigint PRIMARY KEY, total numeric, code text, status varchar(20));
CREATE TABLE counters (id int PRIMARY KEY, hits int, label varchar(5));`;

type Query = { file: string; line: number; sql: string };

describePg('checkImpact: may break (writes)', (target) => {
  let scratch: ScratchServer;
  let source: TempDatabase;
  const made: TempDatabase[] = [];

  beforeAll(async () => {
    source = await createTempDatabase(target, SCHEMA);
    scratch = await openScratchServer({ major: target.major, devUrl: target.url });
  });
  afterAll(async () => {
    await scratch?.close();
    for (const db of [source, ...made]) await db?.drop();
  });

  /** checkImpact for `migration`, and a database migrated as written, to witness the breaks. */
  async function run(migration: string, queries: Query[], schema?: 'migrations') {
    const snapshot = await inspectPostgres(source.url);
    const files = [inlineMigration('change.sql', migration, null)];
    const plan = await planMigration({ files, snapshot });
    const changes = (await analyze({ files, snapshot })).statements.flatMap((s) => s.changes);
    const from: SchemaSource =
      schema === 'migrations'
        ? { kind: 'migrations', files: [inlineMigration('schema.sql', SCHEMA, null)] }
        : { kind: 'snapshot', snapshot };
    const result = await checkImpact({
      dialect: postgresDialect,
      scratch,
      schema: from,
      plan,
      original: files,
      changes,
      services: [service('shop', 'typescript', queries)],
    });
    const migrated = await createTempDatabase(target, `${SCHEMA}\n${migration}`);
    made.push(migrated);
    const listed = result.affected_services[0]?.queries ?? [];
    return { plan, listed, migrated: migrated.url, warnings: result.warnings };
  }
  const lines = (listed: readonly ImpactedQuery[]) => listed.map((q) => [q.line, q.status]);
  const stepWith = (plan: Plan, pattern: RegExp) =>
    plan.steps.find((s) => s.sql.some((sql) => pattern.test(sql)))?.id;

  it('a new CHECK: writes into the table may break, reads and other tables do not', async () => {
    const { plan, listed, migrated } = await run(
      'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);',
      [
        { file: 'src/orders.ts', line: 1, sql: 'INSERT INTO orders (id, total) VALUES ($1, $2)' },
        { file: 'src/orders.ts', line: 2, sql: 'UPDATE orders SET total = total - $1 WHERE id = $2' },
        { file: 'src/orders.ts', line: 3, sql: 'SELECT total FROM orders WHERE total < 0' },
        { file: 'src/orders.ts', line: 4, sql: 'DELETE FROM orders WHERE id = $1' },
        { file: 'src/carts.ts', line: 5, sql: 'INSERT INTO carts (id, total) VALUES ($1, $2)' },
      ],
    );
    expect(lines(listed)).toEqual([
      [1, 'may break'],
      [2, 'may break'],
    ]);
    // From the step that adds the CHECK (NOT VALID already rejects new rows).
    expect(listed.map((q) => q.breaksAt)).toEqual(Array(2).fill(stepWith(plan, /CHECK \(total >= 0\)/)));
    expect(listed[0]?.reason).toMatch(/new CHECK \(total >= 0\) on public\.orders/);
    expect(await sqlstateOf(migrated, 'INSERT INTO orders (id, total) VALUES (1, -5)', 0)).toBe('23514');
    expect(await sqlstateOf(source.url, 'INSERT INTO orders (id, total) VALUES (1, -5)', 0)).toBeNull();
    expect(await sqlstateOf(migrated, 'INSERT INTO carts (id, total) VALUES (1, -5)', 0)).toBeNull();
  });

  describe('a new UNIQUE', () => {
    const queries: Query[] = [
      { file: 'src/orders.ts', line: 1, sql: 'INSERT INTO orders (id, code) VALUES ($1, $2)' },
      { file: 'src/orders.ts', line: 2, sql: 'UPDATE orders SET code = $1 WHERE id = $2' },
      { file: 'src/orders.ts', line: 3, sql: 'UPDATE orders SET note = $1 WHERE id = $2' },
      { file: 'src/orders.ts', line: 4, sql: 'INSERT INTO orders SELECT * FROM orders WHERE false' },
      { file: 'src/carts.ts', line: 5, sql: 'INSERT INTO carts (id, code) VALUES ($1, $2)' },
    ];
    const duplicate = "INSERT INTO orders (id, code) VALUES (1, 'x'), (2, 'x')";

    for (const [label, migration, carries] of [
      ['index', 'CREATE UNIQUE INDEX orders_code ON orders (code);', /UNIQUE INDEX/],
      ['constraint', 'ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);', /UNIQUE/],
    ] as const)
      it(`(${label}): writes of its columns may break, other columns and tables do not`, async () => {
        const { plan, listed, migrated } = await run(migration, queries);
        // Line 4 writes every column (no column list): code included.
        expect(lines(listed)).toEqual([
          [1, 'may break'],
          [2, 'may break'],
          [4, 'may break'],
        ]);
        expect(listed[0]?.breaksAt).toBe(stepWith(plan, carries));
        expect(listed[0]?.reason).toMatch(/new (unique index|UNIQUE) on public\.orders \(code\)/);
        expect(await sqlstateOf(migrated, duplicate, 0)).toBe('23505');
        expect(await sqlstateOf(source.url, duplicate, 0)).toBeNull();
        expect(
          await sqlstateOf(migrated, "INSERT INTO carts (id, code) VALUES (1, 'x'), (2, 'x')", 0),
        ).toBeNull();
      });
  });

  it('a narrower type: writes of that column may break, writes of others do not', async () => {
    const { listed, migrated } = await run(
      `ALTER TABLE orders ALTER COLUMN status TYPE varchar(5);
ALTER TABLE counters ALTER COLUMN hits TYPE smallint;`,
      [
        { file: 'src/orders.ts', line: 1, sql: 'INSERT INTO orders (id, status) VALUES ($1, $2)' },
        { file: 'src/orders.ts', line: 2, sql: 'UPDATE orders SET note = $1 WHERE id = $2' },
        { file: 'src/orders.ts', line: 3, sql: 'UPDATE counters SET hits = hits + 1 WHERE id = $1' },
        { file: 'src/carts.ts', line: 4, sql: 'UPDATE carts SET status = $1 WHERE id = $2' },
      ],
    );
    expect(lines(listed)).toEqual([
      [1, 'may break'],
      [3, 'may break'],
    ]);
    expect(listed[0]?.reason).toMatch(/status becomes character varying\(5\)/);
    const long = "INSERT INTO orders (id, status) VALUES (1, 'shipped')";
    expect(await sqlstateOf(migrated, long, 0)).toBe('22001');
    expect(await sqlstateOf(source.url, long, 0)).toBeNull();
    const big = 'INSERT INTO counters (id, hits) VALUES (1, 40000)';
    expect(await sqlstateOf(migrated, big, 0)).toBe('22003');
    expect(await sqlstateOf(source.url, big, 0)).toBeNull();
    expect(await sqlstateOf(migrated, "UPDATE orders SET note = 'a long note' WHERE id = 1", 0)).toBeNull();
  });

  for (const schema of [undefined, 'migrations'] as const)
    it(`a wider type is not reported (old type from ${schema ?? 'the snapshot'})`, async () => {
      const { listed, migrated } = await run(
        `ALTER TABLE counters ALTER COLUMN label TYPE varchar(50);
ALTER TABLE counters ALTER COLUMN hits TYPE bigint;`,
        [
          {
            file: 'src/counters.ts',
            line: 1,
            sql: 'INSERT INTO counters (id, hits, label) VALUES ($1, $2, $3)',
          },
          { file: 'src/counters.ts', line: 2, sql: 'UPDATE counters SET label = $1 WHERE id = $2' },
        ],
        schema,
      );
      expect(listed).toEqual([]);
      // Wider: what the old type refused is now stored.
      const wide = "INSERT INTO counters (id, hits, label) VALUES (1, 3000000000, 'abcdefghij')";
      expect(await sqlstateOf(migrated, wide, 0)).toBeNull();
      expect(await sqlstateOf(source.url, wide, 0)).toBe('22003');
    });

  it('a renamed enum value: a literal the server coerces is broken, one compared as text may break', async () => {
    const { plan, listed, migrated } = await run(
      "ALTER TYPE order_status RENAME VALUE 'shipped' TO 'sent';",
      [
        { file: 'src/orders.ts', line: 1, sql: "SELECT id FROM orders WHERE state = 'shipped'" },
        { file: 'src/orders.ts', line: 2, sql: "SELECT id FROM orders WHERE state::text = 'shipped'" },
        { file: 'src/orders.ts', line: 3, sql: 'UPDATE orders SET state = $1 WHERE id = $2' },
        { file: 'src/orders.ts', line: 4, sql: "SELECT id FROM orders WHERE state = 'new'" },
        { file: 'src/carts.ts', line: 5, sql: "SELECT id FROM carts WHERE code = 'shipped'" },
      ],
    );
    expect(lines(listed)).toEqual([
      [1, 'broken'],
      [2, 'may break'],
    ]);
    const step = stepWith(plan, /RENAME VALUE/);
    expect(listed.map((q) => q.breaksAt)).toEqual([step, step]);
    expect(listed[0]?.error?.code).toBe('22P02');
    expect(listed[1]?.reason).toMatch(
      /names 'shipped', a value of enum public\.order_status that is renamed to 'sent'/,
    );
    // The witness: the server no longer takes the value; the text comparison still runs.
    expect(await sqlstateOf(migrated, "SELECT id FROM orders WHERE state = 'shipped'", 0)).toBe('22P02');
    expect(await sqlstateOf(migrated, "SELECT 'shipped'::order_status", 0)).toBe('22P02');
    expect(await sqlstateOf(source.url, "SELECT 'shipped'::order_status", 0)).toBeNull();
    expect(await sqlstateOf(migrated, "SELECT id FROM orders WHERE state::text = 'shipped'", 0)).toBeNull();
  });
});
