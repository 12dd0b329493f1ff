/**
 * Database files for the SQLite driver suites: a fresh temporary directory per test (removed
 * after), and a fixture schema with every object kind the snapshot covers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PlanStep } from '../../../src/core/plan.js';

export interface TempDir {
  dir: string;
  /** A path in the directory (no file is created). */
  path(name: string): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'schemapilot-sqlite-driver-test-'));
  return {
    dir,
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Every object kind: rowid and WITHOUT ROWID tables, a STRICT table, INTEGER PRIMARY KEY (the
 * rowid) and AUTOINCREMENT, a composite key, UNIQUE constraints, named and unnamed CHECKs on
 * columns and on the table, COLLATE, defaults (literal, negative, expression), virtual and
 * stored generated columns, foreign keys (ON DELETE/UPDATE, DEFERRABLE INITIALLY DEFERRED,
 * implicit parent key, multi-column), plain, unique, partial, expression and DESC indexes,
 * views (one on another, one with a column list), table triggers, an INSTEAD OF trigger on a
 * view, and an FTS5 virtual table.
 */
export const FIXTURE_SQL = `
CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT DEFAULT 'anon',
  balance INTEGER DEFAULT -1,
  created_at TEXT DEFAULT (datetime('now')),
  CONSTRAINT email_has_at CHECK (email LIKE '%@%')
);
CREATE TABLE statuses (code TEXT PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers ON DELETE CASCADE ON UPDATE SET NULL,
  total REAL CHECK (total >= 0),
  status TEXT NOT NULL DEFAULT 'new',
  tax REAL GENERATED ALWAYS AS (total * 0.2) VIRTUAL,
  gross REAL AS (total * 1.2) STORED,
  CONSTRAINT orders_status_fk FOREIGN KEY (status) REFERENCES statuses (code) DEFERRABLE INITIALLY DEFERRED,
  CHECK (status <> '')
);
CREATE TABLE order_lines (
  order_id INTEGER NOT NULL,
  line INTEGER NOT NULL,
  sku TEXT NOT NULL,
  qty INTEGER NOT NULL CONSTRAINT qty_positive CHECK (qty > 0),
  PRIMARY KEY (order_id, line),
  UNIQUE (order_id, sku),
  FOREIGN KEY (order_id) REFERENCES orders (id)
);
CREATE TABLE audit (at INTEGER NOT NULL, what TEXT NOT NULL, n ANY) STRICT;
CREATE INDEX orders_customer ON orders (customer_id);
CREATE UNIQUE INDEX customers_email_lower ON customers (lower(email));
CREATE INDEX orders_open ON orders (status, total DESC) WHERE status <> 'done';
CREATE INDEX lines_sku ON order_lines (sku COLLATE NOCASE);
CREATE VIEW big_orders AS SELECT o.id, c.email, c.name, o.total FROM orders AS o JOIN customers c ON c.id = o.customer_id WHERE o.total > 100;
CREATE VIEW big_order_emails (address) AS SELECT email FROM big_orders;
CREATE VIEW every_status AS SELECT * FROM statuses;
CREATE TRIGGER orders_audit AFTER UPDATE OF status ON orders BEGIN
  INSERT INTO audit (at, what) VALUES (unixepoch(), 'order ' || NEW.id || ' ' || NEW.status);
END;
CREATE TRIGGER big_orders_insert INSTEAD OF INSERT ON big_orders BEGIN
  INSERT INTO orders (customer_id, total) VALUES ((SELECT id FROM customers WHERE email = NEW.email), NEW.total);
END;
CREATE VIRTUAL TABLE docs USING fts5 (title, body);
INSERT INTO statuses VALUES ('new', 'New'), ('paid', 'Paid'), ('done', 'Done');
INSERT INTO customers (email) VALUES ('a@example.com'), ('b@example.com');
INSERT INTO orders (customer_id, total, status) VALUES (1, 10, 'new'), (1, 200, 'paid'), (2, 5, 'done');
INSERT INTO order_lines VALUES (1, 1, 'A', 1), (1, 2, 'B', 2), (2, 1, 'A', 5);
INSERT INTO docs VALUES ('hello', 'world');
`;

/** The fixture database at `path`, written by the bundled SQLite, closed. */
export function writeFixture(path: string, sql = FIXTURE_SQL): void {
  const db = new Database(path);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** A database with one table `t(id INTEGER PRIMARY KEY, a TEXT, b INTEGER)` holding `rows` rows. */
export function writeRows(path: string, rows: number, options: { wal?: boolean } = {}): void {
  const db = new Database(path);
  try {
    if (options.wal) db.pragma('journal_mode = wal');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER); CREATE INDEX t_b ON t (b)');
    const insert = db.prepare('INSERT INTO t (a, b) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(`row ${i} ${'x'.repeat(40)}`, i % 100);
    })();
  } finally {
    db.close();
  }
}

/** A plan step with the given SQL (transactional unless told), as a planner would make it. */
export function step(sql: string[], extra: Partial<PlanStep> = {}): PlanStep {
  return {
    id: 'expand-1',
    phase: 'expand',
    description: 'test step',
    asWritten: true,
    sql,
    transactional: true,
    lock: null,
    estimatedMs: 0,
    lockTimeoutMs: 2000,
    statementTimeoutMs: 0,
    retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, retryOn: [] },
    rollback: [],
    reversible: true,
    destroysData: false,
    preChecks: [],
    postChecks: [],
    source: 0,
    ...extra,
  };
}
