/**
 * The 12-step rebuild (https://www.sqlite.org/lang_altertable.html#otheralter) run on the real
 * library: each change to a table of the fixture shop must leave the schema SQLite itself builds
 * from the edited CREATE TABLE (every index, trigger, view, foreign key and table option kept,
 * nothing else changed), every row and rowid and the AUTOINCREMENT counter kept, integrity_check
 * and foreign_key_check clean, foreign_keys back ON; and the rollback must bring the original
 * back, data included.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../../../src/core/change.js';
import { planRebuild, sqliteKey } from '../../../../src/dialects/sqlite/rebuild/index.js';
import { change, expr } from '../support/changes.js';
import { allRows, comparableSchema, healthy, HEALTHY, sequences, shapes, state } from '../support/compare.js';
import { shop, shopSchema, TABLES, type ShopTable } from '../support/fixture.js';
import { q, readSchema, runRebuild, tempDir, type Db, type TempDir } from '../support/schema.js';

const MAJOR = sqliteKey(3, 53, 2);

let dir: TempDir;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = dir.open('shop.db', shop());
});
afterEach(() => dir.remove());

function plan(table: ShopTable, changes: Change[], archive = false) {
  const snapshot = readSchema(db);
  const found = snapshot.tables.find((t) => t.name === table);
  if (!found) throw new Error(`no table ${table}`);
  return planRebuild(q, { table: found, changes, schema: snapshot, archive, major: MAJOR });
}

/** The rebuild gives what SQLite builds from `expected`; its rollback gives the original back. */
function roundTrip(
  table: ShopTable,
  changes: Change[],
  expected: string,
  options: { archive?: boolean } = {},
) {
  const original = state(db);
  const rebuild = plan(table, changes, options.archive);
  runRebuild(db, rebuild, rebuild.sql);

  const twin = dir.open('twin.db', shopSchema({ [table]: expected }));
  // The archive of dropped values is the one object the rebuild adds (checked by its own test).
  const archive = (name: string) => name.startsWith('schemapilot_archive_');
  expect(comparableSchema(db).filter((r) => !archive((r as { name: string }).name))).toEqual(
    comparableSchema(twin),
  );
  expect(Object.fromEntries(Object.entries(shapes(db)).filter(([t]) => !archive(t)))).toEqual(shapes(twin));
  expect(healthy(db)).toEqual(HEALTHY);
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  expect(sequences(db)).toEqual(original['sequences']);
  const rows = allRows(db);
  const before = original['rows'] as Record<string, unknown[]>;
  for (const other of Object.keys(before).filter((t) => t !== table))
    expect(rows[other]).toEqual(before[other]);

  runRebuild(db, rebuild, rebuild.rollback);
  const after = state(db);
  expect(after['schema']).toEqual(original['schema']);
  expect(after['shapes']).toEqual(original['shapes']);
  expect(after['sequences']).toEqual(original['sequences']);
  expect(healthy(db)).toEqual(HEALTHY);
  return { rebuild, rows, after: after['rows'] as Record<string, unknown[]>, before };
}

describe('the rebuild on the real library', () => {
  it('changes a column type and NOT NULL of a table with AUTOINCREMENT, a self FK, children, indexes, triggers and views', () => {
    const expected = TABLES.customers.replace('  name TEXT,', '  name VARCHAR(120) NOT NULL,');
    const { rows, before, after, rebuild } = roundTrip(
      'customers',
      [change.type('customers', 'name', 'VARCHAR(120)'), change.setNotNull('customers', 'name')],
      expected,
    );
    expect(rows['customers']).toEqual(before['customers']);
    expect(after).toEqual(before);
    expect(rebuild.reversible).toBe(true);
    expect(rebuild.around).toEqual({
      before: ['PRAGMA foreign_keys = OFF'],
      after: ['PRAGMA foreign_keys = ON'],
    });
  });

  it('keeps the AUTOINCREMENT counter: the next id follows the deleted row, not the largest left', () => {
    const rebuild = plan('customers', [change.dropDefault('customers', 'status')]);
    runRebuild(db, rebuild, rebuild.sql);
    const { id } = db
      .prepare<[], { id: number }>("INSERT INTO customers (email) VALUES ('new@example.com') RETURNING id")
      .get() ?? { id: 0 };
    // 8 was taken by the deleted 'gone@example.com'; max(id) is 7.
    expect(id).toBe(9);
  });

  it('keeps the rows of the tables whose ON DELETE CASCADE references the rebuilt one', () => {
    const count = () => db.prepare('SELECT count(*) AS n FROM orders').get();
    const before = count();
    const rebuild = plan('customers', [change.setDefault('customers', 'status', "'blocked'")]);
    runRebuild(db, rebuild, rebuild.sql);
    expect(count()).toEqual(before);
  });

  it('keeps the gaps in the rowids of a table without an INTEGER PRIMARY KEY', () => {
    const expected = TABLES.tags.replace('label TEXT', 'label TEXT NOT NULL');
    const { rows, before } = roundTrip('tags', [change.setNotNull('tags', 'label')], expected);
    expect(rows['tags']).toEqual(before['tags']);
    expect((rows['tags'] ?? []).map((r) => (r as Record<string, unknown>)['(rowid)'])).toEqual([2, 4]);
  });

  it('rebuilds a WITHOUT ROWID table and keeps it so', () => {
    const expected = TABLES.settings.replace("value TEXT NOT NULL DEFAULT ''", 'value TEXT');
    const { rows, before } = roundTrip(
      'settings',
      [change.dropNotNull('settings', 'value'), change.dropDefault('settings', 'value')],
      expected,
    );
    expect(rows['settings']).toEqual(before['settings']);
  });

  it('rebuilds a STRICT table and keeps it so', () => {
    const expected = TABLES.events.replace('n INTEGER', 'n REAL');
    const { rows, before } = roundTrip('events', [change.type('events', 'n', 'REAL')], expected);
    expect(rows['events']).toEqual(before['events']);
    expect(db.prepare('SELECT typeof(n) AS t FROM events WHERE id = 1').get()).toEqual({ t: 'integer' });
  });

  it('stores the copied values with the new type: a STRICT REAL column holds 3 as the real 3.0', () => {
    const rebuild = plan('events', [change.type('events', 'n', 'REAL')]);
    runRebuild(db, rebuild, rebuild.sql);
    expect(db.prepare('SELECT typeof(n) AS t, n FROM events WHERE id = 1').get()).toEqual({
      t: 'real',
      n: 3,
    });
  });

  it('adds a column ADD COLUMN refuses (a non-constant default on a table with rows)', () => {
    const add = change.addColumn('orders', {
      name: 'placed_at',
      type: 'TEXT',
      notNull: true,
      default: expr("strftime('%Y', 'now')"),
    });
    expect(() =>
      db.exec(`ALTER TABLE orders ADD COLUMN placed_at TEXT NOT NULL DEFAULT (strftime('%Y', 'now'))`),
    ).toThrow(/non-constant default/);
    const expected = TABLES.orders.replace(
      '  note TEXT\n',
      `  note TEXT,\n  "placed_at" TEXT NOT NULL DEFAULT (strftime('%Y', 'now'))\n`,
    );
    const { rows } = roundTrip('orders', [add], expected);
    const year = String(new Date().getUTCFullYear());
    expect((rows['orders'] ?? []).map((r) => (r as Record<string, unknown>)['placed_at'])).toEqual([
      year,
      year,
      year,
      year,
    ]);
  });

  it('adds a named CHECK and drops a named UNIQUE', () => {
    const expected = TABLES.customers
      .replace(',\n  CONSTRAINT customers_email_key UNIQUE (email)', '')
      .replace(
        'ON DELETE SET NULL,\n  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP',
        'ON DELETE SET NULL,\n  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  CONSTRAINT "email_has_at" CHECK (email LIKE \'%@%\')',
      );
    roundTrip(
      'customers',
      [
        change.dropConstraint('customers', 'customers_email_key'),
        change.addConstraint('customers', {
          type: 'check',
          name: 'email_has_at',
          expr: expr("email LIKE '%@%'"),
          notValid: false,
          noInherit: false,
        }),
      ],
      expected,
    );
  });

  it('drops a column with its values archived, and the rollback puts them back', () => {
    const expected = TABLES.orders.replace(',\n  note TEXT', '');
    const { rebuild, after, before } = roundTrip('orders', [change.dropColumn('orders', 'note')], expected, {
      archive: true,
    });
    expect(rebuild.reversible).toBe(true);
    expect(rebuild.destroysData).toBe(false);
    expect(after).toEqual(before);
    // The rollback drops the archive once the values are back.
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name LIKE 'schemapilot_archive%'").get(),
    ).toEqual({ n: 0 });
  });

  it('drops a column without an archive: the rollback brings the column back empty and says so', () => {
    const rebuild = plan('orders', [change.dropColumn('orders', 'note')]);
    expect(rebuild.reversible).toBe(false);
    expect(rebuild.destroysData).toBe(true);
    runRebuild(db, rebuild, rebuild.sql);
    runRebuild(db, rebuild, rebuild.rollback);
    expect(db.prepare('SELECT DISTINCT note FROM orders').all()).toEqual([{ note: null }]);
  });
});

describe('a rebuild that fails leaves the database as it was', () => {
  it('a NOT NULL the rows break: the transaction rolls back, foreign_keys comes back ON', () => {
    db.exec('UPDATE customers SET name = NULL WHERE id = 2');
    const original = state(db);
    const rebuild = plan('customers', [change.setNotNull('customers', 'name')]);
    expect(rebuild.preChecks.map((c) => db.prepare(c.sql).pluck().get())).toContain(0);
    expect(() => runRebuild(db, rebuild, rebuild.sql)).toThrow(
      /NOT NULL constraint failed: new_customers\.name/,
    );
    expect(state(db)).toEqual(original);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('inside a transaction a migration tool opened, foreign_keys stays ON: the guard stops the rebuild before DROP TABLE', () => {
    const original = state(db);
    const rebuild = plan('customers', [change.setDefault('customers', 'status', "'blocked'")]);
    db.exec('BEGIN');
    // What a tool that wraps each file in a transaction runs: the PRAGMA is a no-op there.
    db.exec('PRAGMA foreign_keys = OFF');
    expect(() => {
      for (const s of rebuild.sql) db.exec(s);
    }).toThrow(/CHECK constraint failed: schemapilot: foreign_keys is ON inside the transaction/);
    db.exec('ROLLBACK');
    expect(state(db)).toEqual(original);
  });

  it('foreign_key_check finds a broken row: the guard fails the transaction', () => {
    db.pragma('foreign_keys = OFF');
    db.exec('INSERT INTO orders (id, customer_id, total) VALUES (9, 99, 1)');
    db.pragma('foreign_keys = ON');
    const original = state(db);
    const rebuild = plan('customers', [change.dropDefault('customers', 'status')]);
    expect(rebuild.preChecks.map((c) => db.prepare(c.sql).pluck().get())).toContain(0);
    expect(() => runRebuild(db, rebuild, rebuild.sql)).toThrow(
      /CHECK constraint failed: schemapilot: PRAGMA foreign_key_check finds rows that break a foreign key after the rebuild of customers/,
    );
    expect(state(db)).toEqual(original);
  });
});

describe('why the steps are as they are', () => {
  it('without legacy_alter_table the rename of step 7 fails on a view that reads the dropped table', () => {
    const rebuild = plan('customers', [change.dropDefault('customers', 'status')]);
    const modern = rebuild.sql.filter((s) => !s.startsWith('PRAGMA legacy_alter_table'));
    expect(() => runRebuild(db, rebuild, modern)).toThrow(
      /error in (view|trigger) \w+: no such table: main\.customers/,
    );
  });

  it('the rebuild refuses to drop a column a view reads, naming the view', () => {
    expect(() => plan('customers', [change.dropColumn('customers', 'email')])).toThrow(
      /cannot drop email of customers by a rebuild while view active_customers reads email; view customer_totals reads email/,
    );
  });

  it('the rebuild refuses a table whose CREATE TABLE text it does not have', () => {
    const snapshot = readSchema(db);
    const table = { ...snapshot.tables.find((t) => t.name === 'tags')! };
    delete table.definition;
    expect(() =>
      planRebuild(q, {
        table,
        changes: [change.setNotNull('tags', 'label')],
        schema: snapshot,
        archive: false,
        major: MAJOR,
      }),
    ).toThrow(/cannot plan the rebuild of tags: its CREATE TABLE text is unknown/);
  });
});

describe('names as hostile as SQLite allows', () => {
  it('a table, column, index, trigger and view named with quotes, spaces and brackets rebuild and roll back', () => {
    const hostile = dir.open(
      'hostile.db',
      `CREATE TABLE "we""ird t'able" ([col umn] INTEGER PRIMARY KEY AUTOINCREMENT, "a""b" TEXT, \`c\`\`d\` INT DEFAULT 1);
      CREATE INDEX "i""x" ON "we""ird t'able" ("a""b");
      CREATE TABLE "lo""g" (m TEXT);
      CREATE TRIGGER "t""g" AFTER INSERT ON "we""ird t'able" BEGIN INSERT INTO "lo""g" VALUES (NEW."a""b"); END;
      CREATE VIEW "v""w" AS SELECT "a""b" FROM "we""ird t'able";
      INSERT INTO "we""ird t'able" ("a""b") VALUES ('x'), ('y');`,
    );
    const snapshot = readSchema(hostile);
    const table = snapshot.tables.find((t) => t.name === `we"ird t'able`);
    if (!table) throw new Error('no table');
    const rebuild = planRebuild(q, {
      table,
      changes: [change.setNotNull(`we"ird t'able`, 'a"b'), change.type(`we"ird t'able`, 'c`d', 'TEXT')],
      schema: snapshot,
      archive: false,
      major: MAJOR,
    });
    const original = state(hostile);
    runRebuild(hostile, rebuild, rebuild.sql);
    expect(healthy(hostile)).toEqual(HEALTHY);
    expect(
      hostile.prepare('SELECT name, type, "notnull" FROM pragma_table_info(?)').all(`we"ird t'able`),
    ).toEqual([
      { name: 'col umn', type: 'INTEGER', notnull: 0 },
      { name: 'a"b', type: 'TEXT', notnull: 1 },
      { name: 'c`d', type: 'TEXT', notnull: 0 },
    ]);
    hostile.exec(`INSERT INTO "we""ird t'able" ("a""b") VALUES ('z')`);
    // The trigger, created again from its text, fires for the new row as it did for the first two.
    expect(hostile.prepare('SELECT m FROM "lo""g"').pluck().all()).toEqual(['x', 'y', 'z']);
    hostile.exec(`DELETE FROM "we""ird t'able" WHERE "a""b" = 'z'; DELETE FROM "lo""g" WHERE m = 'z'`);
    runRebuild(hostile, rebuild, rebuild.rollback);
    const back = state(hostile);
    expect(back['schema']).toEqual(original['schema']);
    expect(back['shapes']).toEqual(original['shapes']);
    expect(back['rows']).toEqual(original['rows']);
  });
});
