/**
 * A small shop in SQLite with every kind of object a rebuild must keep: a table with
 * AUTOINCREMENT, a COLLATE column, a named UNIQUE, a CHECK, a self-referencing foreign key, plain,
 * DESC, partial and expression indexes, a trigger on it, a trigger on another table that reads
 * it, a view on it and a view on that view, a child table whose ON DELETE CASCADE would empty it
 * if the rebuild dropped the parent with foreign_keys on; a WITHOUT ROWID table, a STRICT table,
 * and a table without a rowid alias whose rowids have gaps.
 *
 * `shop(edit)` gives the same SQL with one CREATE TABLE replaced: the schema a change should
 * leave, built directly by SQLite (what the rebuild's result is compared with).
 */

const CUSTOMERS = `CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL COLLATE NOCASE,
  name TEXT,
  status TEXT DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  referrer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT customers_email_key UNIQUE (email)
)`;

const ORDERS = `CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  total REAL NOT NULL CHECK (total >= 0),
  note TEXT
)`;

const SETTINGS = `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL DEFAULT '', scope TEXT) WITHOUT ROWID`;

const EVENTS = `CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload BLOB, n INTEGER) STRICT`;

const TAGS = `CREATE TABLE tags (label TEXT, weight INT)`;

export const TABLES = {
  customers: CUSTOMERS,
  orders: ORDERS,
  settings: SETTINGS,
  events: EVENTS,
  tags: TAGS,
};
export type ShopTable = keyof typeof TABLES;

const REST = `
CREATE INDEX customers_name_idx ON customers (name COLLATE NOCASE DESC);
CREATE INDEX customers_active_idx ON customers (created_at) WHERE status = 'active';
CREATE INDEX customers_lower_email ON customers (lower(email));
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE TABLE audit (id INTEGER PRIMARY KEY, event TEXT NOT NULL);
CREATE TRIGGER customers_audit AFTER UPDATE OF status ON customers
BEGIN
  INSERT INTO audit (event) VALUES ('status ' || NEW.id || ' ' || NEW.status);
END;
CREATE TRIGGER orders_audit AFTER INSERT ON orders
BEGIN
  INSERT INTO audit (event) SELECT 'order for ' || email FROM customers WHERE id = NEW.customer_id;
END;
CREATE VIEW active_customers AS SELECT id, email, name FROM customers WHERE status = 'active';
CREATE VIEW customer_totals AS
  SELECT c.id, c.email, sum(o.total) AS total FROM active_customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id;
`;

const ROWS = `
INSERT INTO customers (id, email, name, status, referrer_id, created_at) VALUES
  (1, 'ann@example.com', 'Ann', 'active', NULL, '2024-01-01 10:00:00'),
  (2, 'bob@example.com', 'Bob', 'blocked', 1, '2024-01-02 10:00:00'),
  (4, 'cy@example.com', 'Cy', 'active', 2, '2024-01-03 10:00:00'),
  (7, 'dee@example.com', 'Dee', 'active', 1, '2024-01-04 10:00:00');
INSERT INTO customers (email, name) VALUES ('gone@example.com', 'Gone');
DELETE FROM customers WHERE email = 'gone@example.com';
INSERT INTO orders (id, customer_id, total, note) VALUES (1, 1, 10.5, 'first'), (2, 1, 20, NULL), (3, 4, 7.25, 'gift'), (5, 7, 0, '007');
INSERT INTO settings VALUES ('theme', 'dark', NULL), ('lang', 'en', 'user');
INSERT INTO events VALUES (1, 'signup', x'00ff', 3), (2, 'login', NULL, NULL);
INSERT INTO tags VALUES ('a', 1), ('b', 2), ('c', 3), ('d', 4);
DELETE FROM tags WHERE label IN ('a', 'c');
DELETE FROM audit;
`;

/** The shop's schema, with `replace` standing instead of the named tables' CREATE TABLE. */
export function shopSchema(replace: Partial<Record<ShopTable, string>> = {}): string {
  const tables = (Object.keys(TABLES) as ShopTable[]).map((t) => `${replace[t] ?? TABLES[t]};`).join('\n');
  return `${tables}\n${REST}`;
}

export function shop(replace: Partial<Record<ShopTable, string>> = {}): string {
  return `${shopSchema(replace)}\n${ROWS}`;
}
