/**
 * SQLite plans written for each migration tool and run the way the tool runs them
 * (support/tools.ts: the sqlite3 shell, dbmate and Knex for real; Prisma, golang-migrate and
 * Drizzle simulated from their code). The plan holds a step kept as written and two table
 * rebuilds (one of a table other tables reference): the files must give the schema SQLite builds
 * from the intended definitions, keep every row, leave foreign_key_check and integrity_check
 * clean, and the tool's rollback must bring the original back. Where a tool runs the files inside
 * its own transaction (golang-migrate without x-no-tx-wrap, Drizzle with foreign_keys left ON),
 * the files must fail and leave the database as it was, never drop a parent with foreign_keys ON.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { plan } from '../../../../src/api/plan.js';
import type { Plan } from '../../../../src/core/plan.js';
import { sqliteDialect } from '../../../../src/dialects/sqlite/index.js';
import { inlineMigration } from '../../../../src/formats/read.js';
import { bindWriter, PLAN_WRITERS } from '../../../../src/formats/write/index.js';
import { hasCommand } from '../../../formats/write/support/run.js';
import { comparableSchema, healthy, HEALTHY, shapes, state } from '../support/compare.js';
import { shop, shopSchema, TABLES } from '../support/fixture.js';
import { snapshotOf, tempDir, type Db, type TempDir } from '../support/schema.js';
import { SQLITE_STEP_TEXT } from '../support/steps.js';
import {
  dbmate,
  drizzle,
  golangMigrate,
  knex,
  prisma,
  sqlite3,
  type SqliteRunner,
} from '../support/tools.js';

const MIGRATION = [
  'ALTER TABLE tags ADD COLUMN note TEXT;',
  "ALTER TABLE orders ADD COLUMN placed_at TEXT NOT NULL DEFAULT (strftime('%Y', 'now'));",
  'ALTER TABLE customers DROP CONSTRAINT customers_email_key;',
].join('\n');

/** What SQLite builds from the intended definitions: the twin the files must match. */
const INTENDED = `${shopSchema({
  orders: TABLES.orders.replace(
    '  note TEXT\n',
    `  note TEXT,\n  "placed_at" TEXT NOT NULL DEFAULT (strftime('%Y', 'now'))\n`,
  ),
  customers: TABLES.customers.replace(',\n  CONSTRAINT customers_email_key UNIQUE (email)', ''),
})}\nALTER TABLE tags ADD COLUMN note TEXT;`;

let p: Plan;
let dir: TempDir;
let db: Db;
let file: string;
beforeAll(async () => {
  const setup = tempDir();
  try {
    p = await plan({
      files: [inlineMigration('m.sql', MIGRATION, 'plain')],
      snapshot: snapshotOf(setup.open('shop.db', shop())),
      dialect: sqliteDialect,
    });
  } finally {
    setup.remove();
  }
});
beforeEach(() => {
  dir = tempDir();
  db = dir.open('app.db', shop());
  file = join(dir.path, 'app.db');
  // The tools open the file themselves: nothing of this connection's may be pending.
  db.close();
});
afterEach(() => dir.remove());

async function written(format: string): Promise<string> {
  const writer = PLAN_WRITERS.find((w) => w.format === format);
  if (!writer) throw new Error(`no writer ${format}`);
  const out = await mkdtemp(join(tmpdir(), `sp-sqlite-${format}-`));
  for (const f of writer.write(p, { name: 'shop change', version: '20261207100000' }, SQLITE_STEP_TEXT)) {
    await mkdir(dirname(join(out, f.path)), { recursive: true });
    await writeFile(join(out, f.path), f.content);
  }
  return out;
}

function without(bookkeeping: readonly string[], s: Record<string, unknown>): Record<string, unknown> {
  const keep = (name: string) => !bookkeeping.includes(name);
  return {
    schema: (s['schema'] as { tbl_name: string }[]).filter((r) => keep(r.tbl_name)),
    shapes: Object.fromEntries(Object.entries(s['shapes'] as object).filter(([t]) => keep(t))),
    rows: Object.fromEntries(Object.entries(s['rows'] as object).filter(([t]) => keep(t))),
    sequences: (s['sequences'] as { name: string }[]).filter((r) => keep(r.name)),
  };
}

const withSqlite3 = await hasCommand('sqlite3');

describe('the SQLite plan', () => {
  it('keeps the ADD COLUMN SQLite takes and rebuilds the two tables', () => {
    expect(p.steps.map((s) => [s.id, s.asWritten, s.transactional])).toEqual([
      ['expand-1', true, true],
      ['expand-2', false, false],
      ['expand-3', false, false],
    ]);
  });
});

const RUNNERS: SqliteRunner[] = [
  dbmate,
  knex,
  prisma,
  golangMigrate(true),
  drizzle('OFF'),
  ...(withSqlite3 ? [sqlite3] : []),
];

describe.each(RUNNERS.map((r) => [r.format, r] as const))('%s runs the files', (_format, runner) => {
  it(
    'to the intended schema with every row kept, and its rollback to the original',
    { timeout: 120_000 },
    async () => {
      const out = await written(runner.format);
      try {
        const before = (() => {
          const d = dir.open('app.db');
          const s = state(d);
          d.close();
          return s;
        })();
        await runner.up(out, file);
        const after = dir.open('app.db');
        const twin = dir.open('twin.db', INTENDED);
        const mine = without(runner.bookkeeping, state(after));
        expect(mine['schema']).toEqual(comparableSchema(twin));
        expect(mine['shapes']).toEqual(shapes(twin));
        expect(healthy(after)).toEqual(HEALTHY);
        // Rows as they were, with the new column's default where there is one.
        const rows = mine['rows'] as Record<string, Record<string, unknown>[]>;
        const old = before['rows'] as Record<string, Record<string, unknown>[]>;
        expect(rows['customers']).toEqual(old['customers']);
        expect(rows['orders']?.map(({ placed_at: _p, ...r }) => r)).toEqual(old['orders']);
        after.close();

        await runner.down(out, file, p.steps.length);
        const back = dir.open('app.db');
        expect(without(runner.bookkeeping, state(back))).toEqual(before);
        back.close();
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
  );
});

describe('tools that run the files inside a transaction of their own', () => {
  it('golang-migrate without x-no-tx-wrap: the first file fails at its BEGIN, nothing is applied', async () => {
    const out = await written('golang-migrate');
    try {
      const d = dir.open('app.db');
      const before = state(d);
      d.close();
      await expect(golangMigrate(false).up(out, file)).rejects.toThrow(
        /cannot start a transaction within a transaction/,
      );
      const after = dir.open('app.db');
      expect(state(after)).toEqual(before);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("drizzle with foreign_keys left ON: the guard stops the rebuild of the referenced table, migrate() rolls back, the children's rows stay", async () => {
    const out = await written('drizzle');
    try {
      const d = dir.open('app.db');
      const before = state(d);
      d.close();
      await expect(drizzle('ON').up(out, file)).rejects.toThrow(
        /CHECK constraint failed: schemapilot: foreign_keys is ON inside the transaction/,
      );
      const after = dir.open('app.db');
      expect(without(['__drizzle_migrations'], state(after))).toEqual(before);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('what the files say', () => {
  it('golang-migrate files ask for x-no-tx-wrap=true; drizzle files for foreign_keys OFF around migrate()', () => {
    const files = (format: string) =>
      PLAN_WRITERS.find((w) => w.format === format)?.write(
        p,
        { name: 'x', version: '1' },
        SQLITE_STEP_TEXT,
      ) ?? [];
    expect(
      files('golang-migrate').every((f) => f.content.startsWith('-- SQLite: run with x-no-tx-wrap=true')),
    ).toBe(true);
    const drizzleFiles = files('drizzle').filter((f) => /^\d.*\.sql$/.test(f.path));
    expect(drizzleFiles).toHaveLength(3);
    for (const f of drizzleFiles) {
      expect(f.content).toMatch(/^-- drizzle-orm runs every pending migration in one transaction/);
      // Neither the rebuild's own BEGIN … COMMIT nor its no-op PRAGMAs reach drizzle's transaction.
      expect(f.content).not.toMatch(/^(BEGIN( IMMEDIATE)?;|COMMIT;|PRAGMA foreign_keys)/m);
    }
  });

  it('drizzle writes SQLite plans only', () => {
    const writer = PLAN_WRITERS.find((w) => w.format === 'drizzle');
    if (!writer) throw new Error('no drizzle writer');
    expect(() =>
      bindWriter(writer, () => sqliteDialect).write(
        { ...p, dialect: 'postgres' },
        { name: 'x', version: '1' },
      ),
    ).toThrow('drizzle: writes sqlite plans, and this plan is for postgres; write it as sql instead');
  });
});
