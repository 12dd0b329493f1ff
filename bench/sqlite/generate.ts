/**
 * The SQLite file of the sqlite benchmark: 200 tables, the largest (`orders`) with 1,000,000 rows,
 * written with better-sqlite3 in one transaction through prepared statements, indexes built after
 * the rows (faster than keeping them up to date row by row). Deterministic: the same file every run.
 *
 *  - accounts (50,000 rows): a unique email, a CHECK, a JSON settings column;
 *  - orders (the big table): a foreign key to accounts (ON DELETE CASCADE), CHECKs, a virtual
 *    generated column, a plain, a composite, a partial (WHERE status IN …) and an expression
 *    (date(created_at)) index, an index on `coupon` (so SQLite refuses to DROP that column), two
 *    triggers (updated_at and an audit row) and two views;
 *  - order_audit: written by the orders trigger;
 *  - 197 more tables in four shapes (entity, child with a foreign key, event log, lookup), 200 to
 *    2,000 rows each, one index or more each, a few views.
 *
 * Only the bench imports better-sqlite3 (src/ reaches it through the dialect's folder alone).
 */
import Database from 'better-sqlite3';

export const TABLES = 200;
export const ACCOUNTS = 50_000;
export const ORDER_ROWS = 1_000_000;
/** Tables before the generated shapes: accounts, orders, order_audit. */
const FIXED = 3;
const SHAPES = ['cust', 'line', 'evt', 'ref'] as const;

export function shapedName(i: number): string {
  return `${SHAPES[i % 4] ?? 'cust'}_${String(i).padStart(3, '0')}`;
}

export function shapedRows(i: number): number {
  return 200 + ((i * 2_749) % 1_801);
}

/** accounts, orders and what hangs off orders: the part the rebuild measurements copy at each size. */
export function coreDdl(): string {
  return `
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  plan TEXT NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'team')),
  settings TEXT,
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  price_cents INTEGER NOT NULL,
  currency TEXT NOT NULL DEFAULT 'EUR',
  coupon TEXT,
  note TEXT,
  metadata TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT,
  total_cents INTEGER GENERATED ALWAYS AS (quantity * price_cents) VIRTUAL
);
CREATE TABLE order_audit (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  at TEXT NOT NULL DEFAULT (datetime('now'))
);`;
}

/** Built after the rows. */
export function coreIndexesAndObjects(): string {
  return `
CREATE INDEX orders_account_idx ON orders (account_id);
CREATE INDEX orders_created_idx ON orders (created_at);
CREATE INDEX orders_open_idx ON orders (account_id, created_at) WHERE status IN ('pending', 'paid');
CREATE INDEX orders_day_idx ON orders (date(created_at));
CREATE INDEX orders_coupon_idx ON orders (coupon);
CREATE INDEX order_audit_order_idx ON order_audit (order_id);
CREATE TRIGGER orders_touch AFTER UPDATE OF status, quantity, price_cents ON orders
BEGIN
  UPDATE orders SET updated_at = datetime('now') WHERE id = NEW.id;
END;
CREATE TRIGGER orders_audit_delete AFTER DELETE ON orders
BEGIN
  INSERT INTO order_audit (order_id, action) VALUES (OLD.id, 'delete');
END;
CREATE VIEW open_orders AS
  SELECT id, account_id, status, total_cents, created_at FROM orders WHERE status IN ('pending', 'paid');
CREATE VIEW account_totals AS
  SELECT a.id, a.email, count(o.id) AS orders, sum(o.total_cents) AS total_cents
  FROM accounts a LEFT JOIN orders o ON o.account_id = a.id GROUP BY a.id, a.email;`;
}

function shapedDdl(i: number): string {
  const t = shapedName(i);
  switch (i % 4) {
    case 0:
      return `CREATE TABLE ${t} (
  id INTEGER PRIMARY KEY,
  account_id INTEGER REFERENCES accounts (id),
  name TEXT NOT NULL,
  email TEXT,
  status TEXT NOT NULL DEFAULT 'active',
  balance REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1))
);
CREATE UNIQUE INDEX ${t}_email_key ON ${t} (email);
CREATE INDEX ${t}_status_idx ON ${t} (status, created_at);`;
    case 1:
      return `CREATE TABLE ${t} (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER NOT NULL REFERENCES ${shapedName(i - 1)} (id) ON DELETE CASCADE,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  price REAL NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX ${t}_parent_idx ON ${t} (parent_id);`;
    case 2:
      return `CREATE TABLE ${t} (
  id INTEGER PRIMARY KEY,
  ref INTEGER,
  kind INTEGER NOT NULL,
  happened_at TEXT NOT NULL,
  data TEXT
) STRICT;
CREATE INDEX ${t}_happened_idx ON ${t} (happened_at);`;
    default:
      return `CREATE TABLE ${t} (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;`;
  }
}

const STATUSES = ['pending', 'paid', 'paid', 'shipped', 'shipped', 'shipped', 'cancelled'];
const BASE_MS = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Rows of accounts and orders (orderRows of them) through prepared statements. */
function fillCore(db: Database.Database, orderRows: number): void {
  const account = db.prepare(
    'INSERT INTO accounts (id, email, name, plan, settings, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (let i = 1; i <= ACCOUNTS; i++)
    account.run(
      i,
      `user${i}@example.com`,
      `User ${i}`,
      i % 10 === 0 ? 'team' : i % 3 === 0 ? 'pro' : 'free',
      i % 2 ? `{"theme":"dark","n":${i}}` : null,
      iso(BASE_MS - i * 60_000),
    );
  const order = db.prepare(
    `INSERT INTO orders (id, account_id, status, quantity, price_cents, currency, coupon, note, metadata, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (let i = 1; i <= orderRows; i++) {
    const created = BASE_MS + i * 30_000;
    order.run(
      i,
      1 + ((i * 7_919) % ACCOUNTS),
      STATUSES[i % STATUSES.length] ?? 'pending',
      1 + (i % 9),
      99 + (i % 50_000),
      i % 5 === 0 ? 'USD' : 'EUR',
      i % 17 === 0 ? `SPRING${i % 100}` : null,
      i % 4 === 0 ? `gift wrap, order ${i}` : null,
      `{"channel":"${i % 3 ? 'web' : 'app'}","items":${1 + (i % 9)}}`,
      iso(created),
      i % 3 === 0 ? iso(created + 3_600_000) : null,
    );
  }
}

function fillShaped(db: Database.Database, i: number): void {
  const t = shapedName(i);
  const n = shapedRows(i);
  switch (i % 4) {
    case 0: {
      const s = db.prepare(
        `INSERT INTO ${t} (id, account_id, name, email, status, balance, created_at, verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (let r = 1; r <= n; r++)
        s.run(
          r,
          1 + (r % ACCOUNTS),
          `name ${r}`,
          `c${r}@example.org`,
          r % 5 ? 'active' : 'closed',
          r / 7,
          iso(BASE_MS + r * 1000),
          r % 2,
        );
      return;
    }
    case 1: {
      const parentRows = shapedRows(i - 1);
      const s = db.prepare(
        `INSERT INTO ${t} (parent_id, quantity, price, note, created_at) VALUES (?, ?, ?, ?, ?)`,
      );
      for (let r = 1; r <= n; r++)
        s.run(1 + (r % parentRows), 1 + (r % 9), (r % 500) + 0.99, `note ${r}`, iso(BASE_MS + r * 1000));
      return;
    }
    case 2: {
      const s = db.prepare(`INSERT INTO ${t} (id, ref, kind, happened_at, data) VALUES (?, ?, ?, ?, ?)`);
      for (let r = 1; r <= n; r++) s.run(r, r % 1000, r % 12, iso(BASE_MS + r * 60_000), `{"seq":${r}}`);
      return;
    }
    default: {
      const s = db.prepare(`INSERT INTO ${t} (code, label, sort_order) VALUES (?, ?, ?)`);
      for (let r = 1; r <= n; r++) s.run(`C${r}`, `label ${r}`, r % 100);
    }
  }
}

function shapedViews(): string {
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const parent = shapedName(FIXED + 1 + i * 4);
    const child = shapedName(FIXED + 2 + i * 4);
    out.push(`CREATE VIEW ${parent}_totals AS
  SELECT p.id, p.name, count(c.id) AS lines, sum(c.price * c.quantity) AS total
  FROM ${parent} p LEFT JOIN ${child} c ON c.parent_id = p.id GROUP BY p.id, p.name;`);
  }
  return out.join('\n');
}

/** The shaped tables' numbers: FIXED+1 … TABLES (197 of them), aligned so each child follows its parent. */
function shapedIndexes(): number[] {
  const out: number[] = [];
  for (let i = FIXED + 1; out.length < TABLES - FIXED; i++) out.push(i);
  return out;
}

export interface Built {
  file: string;
  tables: number;
  orderRows: number;
  totalRows: number;
  bytes: number;
  ms: number;
}

/**
 * Write the database file (rollback journal, as SQLite makes it). `full`: all 200 tables; else only
 * accounts, orders and order_audit with their indexes, triggers and views (the rebuild's subject).
 */
export function buildDatabase(file: string, orderRows: number, full: boolean): Built {
  const started = performance.now();
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
    // Durability does not matter while the file is being made; it is fsync'd by the final COMMIT… not at all here.
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const shaped = full ? shapedIndexes() : [];
    db.transaction(() => {
      db.exec(coreDdl());
      for (const i of shaped) db.exec(shapedDdl(i).replace(/\n?CREATE (UNIQUE )?INDEX[^;]*;/g, ''));
      fillCore(db, orderRows);
      for (const i of shaped) fillShaped(db, i);
      db.exec(coreIndexesAndObjects());
      for (const i of shaped)
        for (const idx of shapedDdl(i).match(/CREATE (UNIQUE )?INDEX[^;]*;/g) ?? []) db.exec(idx);
      if (full) db.exec(shapedViews());
    })();
    db.pragma('synchronous = FULL');
    db.exec('ANALYZE');
    const tables = (
      db
        .prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .get() as { n: number }
    ).n;
    const totalRows = ACCOUNTS + orderRows + shaped.reduce((sum, i) => sum + shapedRows(i), 0);
    const bytes = (
      db.prepare('SELECT page_count * page_size AS b FROM pragma_page_count, pragma_page_size').get() as {
        b: number;
      }
    ).b;
    return { file, tables, orderRows, totalRows, bytes, ms: performance.now() - started };
  } finally {
    db.close();
  }
}
