/**
 * The SQLite snapshot against what SQLite itself says: the pragmas and sqlite_schema read here
 * directly, and SQLite's own behaviour (a CHECK's error names it, a deferred key waits for
 * COMMIT, NOCASE matches case-blind) where the snapshot reads a CREATE statement.
 */
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDialect } from '../../../src/dialects/sqlite/index.js';
import type { SchemaSnapshot, Table } from '../../../src/core/snapshot.js';
import { canonicalJson } from '../../../src/schema/canonical-json.js';
import { checkSnapshot } from '../../../src/schema/snapshot-input.js';
import { stat1Rows } from '../../../src/dialects/sqlite/introspect/stats.js';
import { tempDir, writeFixture, writeRows, type TempDir } from './driver-support.js';

const driver = sqliteDialect.driver!;

let tmp: TempDir;
let path: string;
let db: Database.Database;
let snapshot: SchemaSnapshot;

const table = (name: string): Table => {
  const t = snapshot.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
};

beforeEach(async () => {
  tmp = tempDir();
  path = tmp.path('app.db');
  writeFixture(path);
  snapshot = await driver.inspect(`sqlite:${path}`);
  db = new Database(path, { readonly: true });
});

afterEach(() => {
  db.close();
  tmp.remove();
});

describe('sqlite introspection: objects', () => {
  it('lists the tables and views sqlite_schema holds, without SQLite’s own and FTS5’s shadow tables', () => {
    const listed = db
      .prepare(
        `SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
      )
      .all() as { name: string; type: string }[];
    expect(snapshot.tables.map((t) => t.name).sort()).toEqual(
      listed
        .filter((r) => r.type === 'table' || r.type === 'virtual')
        .map((r) => r.name)
        .sort(),
    );
    expect(snapshot.views.map((v) => v.name).sort()).toEqual(
      listed
        .filter((r) => r.type === 'view')
        .map((r) => r.name)
        .sort(),
    );
    expect(listed.some((r) => r.type === 'shadow' && r.name.startsWith('docs_'))).toBe(true);
    expect(snapshot.schemas).toEqual(['main']);
    expect(snapshot.database).toBe('app.db');
    expect(table('docs').module).toBe('fts5');
  });

  it('reads WITHOUT ROWID and STRICT as pragma_table_list reports them', () => {
    const rows = db.prepare(`SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main'`).all() as {
      name: string;
      wr: number;
      strict: number;
    }[];
    for (const t of snapshot.tables.filter((x) => x.module === undefined)) {
      const row = rows.find((r) => r.name === t.name);
      expect([t.name, t.withoutRowid, t.strict]).toEqual([t.name, row?.wr === 1, row?.strict === 1]);
    }
    expect(table('statuses').withoutRowid).toBe(true);
    expect(table('audit').strict).toBe(true);
  });

  it('reads columns in order with their declared types, and generated columns by xinfo’s hidden flag', () => {
    for (const t of snapshot.tables) {
      const xinfo = db
        .prepare('SELECT name, type, hidden FROM pragma_table_xinfo(?) ORDER BY cid')
        .all(t.name) as {
        name: string;
        type: string;
        hidden: number;
      }[];
      const visible = xinfo.filter((c) => c.hidden !== 1);
      expect(t.columns.map((c) => [c.name, c.type])).toEqual(visible.map((c) => [c.name, c.type]));
      for (const c of visible) {
        const kind = t.columns.find((x) => x.name === c.name)?.generatedKind;
        expect([c.name, kind]).toEqual([
          c.name,
          c.hidden === 3 ? 'stored' : c.hidden === 2 ? 'virtual' : undefined,
        ]);
      }
    }
    const orders = table('orders');
    expect(orders.columns.find((c) => c.name === 'tax')?.generated).toBe('total * 0.2');
    expect(orders.columns.find((c) => c.name === 'gross')?.generated).toBe('total * 1.2');
  });

  it('marks the rowid alias as identity, and NOT NULL as SQLite enforces it', () => {
    // INTEGER PRIMARY KEY is the rowid: SQLite fills it when given NULL.
    const w = new Database(path);
    w.prepare("INSERT INTO customers (id, email) VALUES (NULL, 'c@example.com')").run();
    const id = w.prepare("SELECT id, rowid AS r FROM customers WHERE email = 'c@example.com'").get() as {
      id: number;
      r: number;
    };
    expect(id.id).toBe(id.r);
    // A WITHOUT ROWID table's key refuses NULL, though not declared NOT NULL.
    expect(() => w.prepare("INSERT INTO statuses VALUES (NULL, 'x')").run()).toThrow(/NOT NULL/);
    w.close();
    expect(table('customers').columns.find((c) => c.name === 'id')).toMatchObject({
      identity: 'by default',
      nullable: false,
    });
    expect(table('order_lines').columns.find((c) => c.name === 'order_id')?.identity).toBeNull();
    expect(table('statuses').columns.find((c) => c.name === 'code')?.nullable).toBe(false);
    expect(table('customers').columns.find((c) => c.name === 'name')?.nullable).toBe(true);
  });

  it('keeps defaults as written, which SQLite accepts back and reads as the same default', () => {
    const defaults = Object.fromEntries(table('customers').columns.map((c) => [c.name, c.default]));
    expect(defaults).toMatchObject({ name: "'anon'", balance: '-1', created_at: "(datetime('now'))" });
    const m = new Database(':memory:');
    for (const [name, value] of Object.entries(defaults)) {
      if (value === null) continue;
      m.exec(`CREATE TABLE "t_${name}" (c DEFAULT ${value})`);
      const ours = m.prepare(`SELECT dflt_value FROM pragma_table_xinfo(?)`).get(`t_${name}`);
      const theirs = db
        .prepare(`SELECT dflt_value FROM pragma_table_xinfo('customers') WHERE name = ?`)
        .get(name);
      expect(ours).toEqual(theirs);
    }
    m.close();
  });

  it('reads COLLATE from the CREATE statement, as SQLite compares', () => {
    expect(table('customers').columns.find((c) => c.name === 'email')?.collation).toBe('NOCASE');
    const n = db.prepare("SELECT count(*) AS n FROM customers WHERE email = 'A@EXAMPLE.COM'").get() as {
      n: number;
    };
    expect(n.n).toBe(1);
  });
});

describe('sqlite introspection: keys, indexes, checks', () => {
  it('lists the indexes pragma_index_list reports, unique and partial alike', () => {
    for (const t of snapshot.tables) {
      const list = db
        .prepare('SELECT name, "unique" AS u, origin, partial FROM pragma_index_list(?)')
        .all(t.name) as {
        name: string;
        u: number;
        origin: string;
        partial: number;
      }[];
      expect(t.indexes.map((i) => i.name).sort()).toEqual(list.map((r) => r.name).sort());
      for (const r of list) {
        const i = t.indexes.find((x) => x.name === r.name);
        expect([r.name, i?.unique, i?.primary, i?.predicate !== null, i?.constraint !== null]).toEqual([
          r.name,
          r.u === 1,
          r.origin === 'pk',
          r.partial === 1,
          r.origin !== 'c',
        ]);
      }
    }
  });

  it('takes an expression key and a partial index’s WHERE from the CREATE INDEX, as written', () => {
    const lower = table('customers').indexes.find((i) => i.name === 'customers_email_lower');
    expect(lower).toMatchObject({ columns: ['lower(email)'], unique: true });
    // xinfo says the key is an expression (cid -2) and nothing more.
    expect(
      db.prepare("SELECT cid FROM pragma_index_xinfo('customers_email_lower') WHERE key = 1").all(),
    ).toEqual([{ cid: -2 }]);
    const open = table('orders').indexes.find((i) => i.name === 'orders_open');
    expect(open).toMatchObject({ columns: ['status', 'total DESC'], predicate: "status <> 'done'" });
    expect(table('order_lines').indexes.find((i) => i.name === 'lines_sku')?.columns).toEqual([
      'sku COLLATE NOCASE',
    ]);
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'orders_open'").get() as {
      sql: string;
    };
    expect(open?.definition).toBe(sql.sql);
  });

  it('reads primary keys and UNIQUE constraints from xinfo and the autoindexes', () => {
    expect(table('order_lines').primaryKey?.columns).toEqual(['order_id', 'line']);
    expect(table('order_lines').uniqueConstraints.map((u) => u.columns)).toEqual([['order_id', 'sku']]);
    expect(table('customers').uniqueConstraints.map((u) => u.columns)).toEqual([['email']]);
    expect(table('statuses').primaryKey?.columns).toEqual(['code']);
    expect(table('audit').primaryKey).toBeNull();
  });

  it('reads foreign keys as pragma_foreign_key_list does, the implicit parent key resolved', () => {
    for (const t of snapshot.tables) {
      const rows = db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(t.name) as {
        id: number;
        table: string;
        from: string;
        on_update: string;
        on_delete: string;
      }[];
      expect(t.foreignKeys.length).toBe(new Set(rows.map((r) => r.id)).size);
      for (const r of rows) {
        const fk = t.foreignKeys.find((f) => f.columns.includes(r.from));
        expect([fk?.referencedTable, fk?.onUpdate, fk?.onDelete]).toEqual([
          r.table,
          r.on_update,
          r.on_delete,
        ]);
      }
    }
    const toCustomers = table('orders').foreignKeys.find((f) => f.referencedTable === 'customers');
    expect(toCustomers).toMatchObject({
      columns: ['customer_id'],
      referencedColumns: ['id'],
      onDelete: 'CASCADE',
    });
  });

  it('reads DEFERRABLE INITIALLY DEFERRED, which is what makes SQLite wait for COMMIT', () => {
    const status = table('orders').foreignKeys.find((f) => f.name === 'orders_status_fk');
    const customer = table('orders').foreignKeys.find((f) => f.referencedTable === 'customers');
    expect([status?.deferrable, customer?.deferrable]).toEqual([true, false]);
    const w = new Database(path);
    w.pragma('foreign_keys = on');
    const tx = w.transaction(() => {
      w.prepare("INSERT INTO orders (customer_id, total, status) VALUES (1, 1, 'later')").run();
      w.prepare("INSERT INTO statuses VALUES ('later', 'Later')").run();
    });
    expect(() => tx()).not.toThrow();
    expect(() => w.prepare('INSERT INTO orders (customer_id, total) VALUES (99, 1)').run()).toThrow(
      /FOREIGN KEY/,
    );
    w.close();
  });

  it('names CHECKs as written, and SQLite’s own error quotes each one', () => {
    const checks = Object.fromEntries(
      snapshot.tables.flatMap((t) => t.checkConstraints.map((c) => [`${t.name}.${c.name}`, c.definition])),
    );
    expect(checks).toEqual({
      'customers.email_has_at': "CHECK (email LIKE '%@%')",
      'order_lines.qty_positive': 'CHECK (qty > 0)',
      'orders.orders_check': "CHECK (status <> '')",
      'orders.orders_total_check': 'CHECK (total >= 0)',
    });
    const w = new Database(path);
    const failure = (sql: string) => {
      try {
        w.exec(sql);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(failure("INSERT INTO customers (email) VALUES ('nobody')")).toBe(
      'CHECK constraint failed: email_has_at',
    );
    expect(failure('INSERT INTO order_lines VALUES (1, 9, 9, 0)')).toBe(
      'CHECK constraint failed: qty_positive',
    );
    expect(failure('INSERT INTO orders (customer_id, total) VALUES (1, -1)')).toBe(
      'CHECK constraint failed: total >= 0',
    );
    w.close();
  });
});

describe('sqlite introspection: views and triggers', () => {
  it('keeps CREATE VIEW and CREATE TRIGGER as sqlite_schema stores them', () => {
    const sqlOf = (name: string) =>
      (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(name) as { sql: string }).sql;
    for (const v of snapshot.views) expect(v.definition).toBe(sqlOf(v.name));
    for (const t of snapshot.tables) for (const tr of t.triggers) expect(tr.definition).toBe(sqlOf(tr.name));
    expect(table('orders').triggers.map((t) => t.name)).toEqual(['orders_audit']);
    const view = snapshot.views.find((v) => v.name === 'big_orders');
    expect(view?.triggers?.map((t) => t.name)).toEqual(['big_orders_insert']);
  });

  it('gives view columns as pragma_table_xinfo does', () => {
    for (const v of snapshot.views) {
      const names = (
        db.prepare('SELECT name FROM pragma_table_xinfo(?)').all(v.name) as { name: string }[]
      ).map((r) => r.name);
      expect(v.columns.map((c) => c.name)).toEqual(names);
    }
    expect(snapshot.views.find((v) => v.name === 'big_order_emails')?.columns.map((c) => c.name)).toEqual([
      'address',
    ]);
  });

  it('says which columns a view and a trigger use, the ones SQLite checks when a column is dropped', () => {
    const deps = (name: string) => snapshot.views.find((v) => v.name === name)?.dependsOn;
    expect(deps('big_orders')).toEqual([
      { relation: 'main.customers', columns: ['email', 'id', 'name'] },
      { relation: 'main.orders', columns: ['customer_id', 'id', 'total'] },
    ]);
    expect(deps('big_order_emails')).toEqual([{ relation: 'main.big_orders', columns: ['email'] }]);
    // SELECT * uses the table as a whole: SQLite expands it again, so dropping a column keeps the view.
    expect(deps('every_status')).toEqual([{ relation: 'main.statuses', columns: [] }]);
    const trigger = table('orders').triggers[0];
    expect(trigger?.dependsOn).toEqual([
      { relation: 'main.audit', columns: ['at', 'what'] },
      { relation: 'main.orders', columns: ['id', 'status'] },
    ]);
    // What SQLite does with those uses: the used column cannot go, the unused one can.
    const w = new Database(path);
    expect(() => w.exec('ALTER TABLE customers DROP COLUMN name')).toThrow(/error in view big_orders/);
    expect(() => w.exec('ALTER TABLE customers DROP COLUMN balance')).not.toThrow();
    expect(() => w.exec('ALTER TABLE statuses DROP COLUMN label')).not.toThrow();
    w.close();
  });
});

describe('sqlite introspection: sizes, rows, the file', () => {
  it('counts rows exactly and sizes every b-tree within the file', () => {
    for (const t of snapshot.tables.filter((x) => x.module === undefined)) {
      const n = db.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number };
      expect([t.name, t.stats.rowEstimate]).toEqual([t.name, n.n]);
      expect(t.stats.tableBytes % snapshot.sqliteFile!.pageSize).toBe(0);
      expect(t.stats.tableBytes).toBeGreaterThan(0);
    }
    const used = snapshot.tables.reduce((s, t) => s + t.stats.tableBytes + t.stats.indexBytes, 0);
    expect(used).toBeLessThan(snapshot.sqliteFile!.fileBytes);
    expect(snapshot.sqliteFile).toMatchObject({
      statsSource: 'dbstat',
      journalMode: db.pragma('journal_mode', { simple: true }),
      pageSize: db.pragma('page_size', { simple: true }),
      pageCount: db.pragma('page_count', { simple: true }),
      readBy: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
    });
  });

  it('counts a WITHOUT ROWID table and a large table exactly', async () => {
    const big = tmp.path('big.db');
    writeRows(big, 20_000);
    const w = new Database(big);
    w.exec('CREATE TABLE k (a INTEGER, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID');
    const insert = w.prepare('INSERT INTO k VALUES (?, ?)');
    w.transaction(() => {
      for (let i = 0; i < 7_000; i++) insert.run(i, `key ${i} ${'y'.repeat(30)}`);
    })();
    w.close();
    const s = await driver.inspect(big);
    const rows = Object.fromEntries(s.tables.map((t) => [t.name, t.stats.rowEstimate]));
    expect(rows).toEqual({ k: 7_000, t: 20_000 });
    const t = s.tables.find((x) => x.name === 't');
    // 20,000 rows of ~50 bytes: more than 1 MB of table, an index of its own.
    expect(t?.stats.tableBytes).toBeGreaterThan(1_000_000);
    expect(t?.stats.indexBytes).toBeGreaterThan(0);
  });

  it('reads sqlite_stat1 row counts the way ANALYZE wrote them', () => {
    const big = tmp.path('analyzed.db');
    writeRows(big, 1234);
    const w = new Database(big);
    w.exec('ANALYZE');
    const stat = w.prepare('SELECT tbl, idx, stat FROM sqlite_stat1').all() as {
      tbl: string;
      idx: string | null;
      stat: string;
    }[];
    w.close();
    expect(stat1Rows(stat).get('t')).toBe(1234);
  });

  it('names the SQLite that last wrote the file (the application’s), not the one reading it', async () => {
    let python: string;
    try {
      python = execFileSync('python3', ['-c', 'import sqlite3; print(sqlite3.sqlite_version)'], {
        encoding: 'utf8',
      }).trim();
    } catch {
      return; // no python3 with sqlite3 here: the bundled-library case below still runs
    }
    const other = tmp.path('python.db');
    execFileSync('python3', [
      '-c',
      `import sqlite3; c = sqlite3.connect(${JSON.stringify(other)}); c.execute('CREATE TABLE x (a)'); c.commit(); c.close()`,
    ]);
    const s = await driver.inspect(`sqlite:${other}`);
    expect(s.serverVersion).toBe(python);
    expect(s.sqliteFile?.writtenBy).toBe(python);
    expect(snapshot.serverVersion).toBe(snapshot.sqliteFile?.readBy);
  });

  it('is the same snapshot, byte for byte, on a second run, and a valid --schema file', async () => {
    const again = await driver.inspect(`sqlite:${path}`);
    expect(canonicalJson(again)).toBe(canonicalJson(snapshot));
    expect('snapshot' in checkSnapshot(JSON.parse(canonicalJson(snapshot)))).toBe(true);
  });
});
