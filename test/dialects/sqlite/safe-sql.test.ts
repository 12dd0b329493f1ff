/**
 * SQLite's safe-SQL building blocks (src/dialects/sqlite/safe-sql/) run on the real library:
 * each check answers right on the fixture shop, a backfill batch repeated until it changes
 * nothing fills every row, the batched DML a rule suggests runs, and the sync triggers keep a
 * column in step on INSERT and UPDATE. What SQLite's ALTER TABLE cannot do is refused with the
 * way it is done instead.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SQLITE_SAFE_SQL as sql } from '../../../src/dialects/sqlite/safe-sql/index.js';
import { shop } from './support/fixture.js';
import { q, readSchema, tempDir, type Db, type TempDir } from './support/schema.js';

let dir: TempDir;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = dir.open('shop.db', shop());
});
afterEach(() => dir.remove());

const answer = (check: { sql: string }) => db.prepare(check.sql).pluck().get();

describe('checks', () => {
  it('each answers 1 when the step may go on and 0 when not', () => {
    expect(answer(sql.checks.noNulls(q, 'main.orders', 'note'))).toBe(0);
    expect(answer(sql.checks.noNulls(q, 'main.orders', 'total'))).toBe(1);
    expect(answer(sql.checks.indexIsValid(q, 'main.orders', 'orders_customer_idx'))).toBe(1);
    expect(answer(sql.checks.indexIsValid(q, 'main.orders', 'nope'))).toBe(0);
    expect(answer(sql.checks.noInvalidIndex(q, 'main.orders', 'orders_customer_idx'))).toBe(1);
    expect(answer(sql.checks.noViewUsesTable(q, 'main.customers'))).toBe(0);
    expect(answer(sql.checks.noViewUsesTable(q, 'main.tags'))).toBe(1);
    expect(answer(sql.checks.noViewUsesColumn(q, 'main.customers', 'email'))).toBe(0);
    expect(answer(sql.checks.noViewUsesColumn(q, 'main.customers', 'referrer_id'))).toBe(1);
    expect(answer(sql.checks.noForeignKeyTo(q, 'main.customers'))).toBe(0);
    expect(answer(sql.checks.noForeignKeyTo(q, 'main.customers', 'id'))).toBe(0);
    expect(answer(sql.checks.noForeignKeyTo(q, 'main.orders'))).toBe(1);
  });
});

describe('batches', () => {
  it('a backfill batch, repeated until it changes nothing, fills every row', () => {
    db.exec('ALTER TABLE orders ADD COLUMN cents INTEGER');
    const batch = sql.batches.backfill(
      q,
      {
        table: 'main.orders',
        keyColumns: ['id'],
        set: [{ column: 'cents', expression: 'CAST(total * 100 AS INTEGER)' }],
        remaining: 'cents IS NULL',
        batchSize: 2,
        pauseMs: 0,
      },
      'INTEGER',
      3053002,
    );
    const runs: number[] = [];
    for (let changes = -1; changes !== 0;) runs.push((changes = db.prepare(batch).run().changes));
    expect(runs).toEqual([2, 2, 0]);
    expect(db.prepare('SELECT count(*) FROM orders WHERE cents IS NULL').pluck().get()).toBe(0);
  });

  it("the batched form of a rule's UPDATE runs, a batch at a time", () => {
    const script = sql.batches.dml(
      q,
      {
        verb: 'UPDATE',
        head: 'UPDATE tags SET label = upper(label)',
        where: 'label <> upper(label)',
        reference: 'tags',
        relation: 'tags',
        joins: false,
        returning: false,
      },
      'main.tags',
      readSchema(db).tables.find((t) => t.name === 'tags'),
      3053002,
      { stopsMatching: true },
    );
    const statement = script?.find((l) => !l.startsWith('--')) ?? '';
    expect(db.prepare(statement.replace(/;$/, '')).run().changes).toBe(2);
    expect(db.prepare('SELECT label FROM tags ORDER BY rowid').pluck().all()).toEqual(['B', 'D']);
    // An INTEGER PRIMARY KEY is the rowid itself; any other key, or none, is walked by rowid.
    const orders = readSchema(db).tables.find((t) => t.name === 'orders');
    if (!orders) throw new Error('no orders');
    expect(sql.batches.key({ ...orders, primaryKey: { name: 'pk', columns: ['id'] } }).column).toBe('id');
    expect(sql.batches.key({ ...orders, primaryKey: null }).column).toBe('rowid');
    expect(sql.batches.key(undefined).column).toBe('rowid');
  });
});

describe('triggers', () => {
  it('keep a column in step on INSERT and on UPDATE, by rowid', () => {
    db.exec('ALTER TABLE tags ADD COLUMN title TEXT');
    const trigger = sql.triggers.sync(q, {
      table: 'main.tags',
      name: 'tags_title_sync',
      body: [],
      major: 3053002,
      perEvent: { insert: ['NEW.title = NEW.label'], update: ['NEW.title = NEW.label'] },
    });
    for (const s of trigger.create) db.exec(s);
    db.exec("INSERT INTO tags (label, weight) VALUES ('e', 5)");
    db.exec("UPDATE tags SET label = 'bb' WHERE label = 'b'");
    expect(db.prepare('SELECT label, title FROM tags WHERE title IS NOT NULL ORDER BY rowid').all()).toEqual([
      { label: 'bb', title: 'bb' },
      { label: 'e', title: 'e' },
    ]);
    for (const s of trigger.drop) db.exec(s);
    expect(
      db
        .prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'tags_title_sync%'")
        .pluck()
        .get(),
    ).toBe(0);
  });
});

describe('what ALTER TABLE cannot do', () => {
  it('constraints and NOT NULL through a CHECK are refused, naming the rebuild', () => {
    expect(() => sql.constraints.addNotValid(q, 'main.t', 'c', 'CHECK (a > 0)')).toThrow(
      /the table is rebuilt instead/,
    );
    expect(() => sql.notNullViaCheck(q, 'main.t', 'a', 3053002)).toThrow(/rebuilding the table/);
    expect(sql.notNullScript(q, 'main.tags', 'label', 3053002).join('\n')).toContain(
      'ALTER TABLE "tags" ALTER COLUMN "label" SET NOT NULL',
    );
  });
});
