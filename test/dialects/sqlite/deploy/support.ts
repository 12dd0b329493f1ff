/**
 * Plans for the SQLite deploy tests, written by hand the way a SQLite plan is shaped (the
 * planner's rebuild recipe is another branch's), database files in temp directories, and what
 * the tests read back from a file: its schema and a content hash of every user table.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Plan, PlanStep } from '../../../../src/core/plan.js';
import { DEFAULT_DEPLOY_LIMITS, type DeployOptions } from '../../../../src/deploy/deploy.js';
import { SQLITE_RETRY_ON } from '../../../../src/dialects/sqlite/deploy/errors.js';
import { sqliteDialect } from '../../../../src/dialects/sqlite/index.js';
import { handPlan, handStep, type HandPlanDialect } from '../../../support/hand-plans.js';

export { tempDir } from '../driver-support.js';

const SQLITE: HandPlanDialect = {
  dialect: 'sqlite',
  // SQLite's fact key: SQLITE_VERSION_NUMBER of the bundled library (3.53.2).
  serverMajor: 3053002,
  transactional: true,
  lockTimeoutMs: 200,
  retry: { maxAttempts: 3, backoffMs: 50, maxBackoffMs: 100, retryOn: [...SQLITE_RETRY_ON] },
};

export const stepOf = (id: string, sql: string[], extra: Partial<PlanStep> = {}): PlanStep =>
  handStep(SQLITE, id, sql, extra);
export const planOf = (steps: PlanStep[], hash: string): Plan => handPlan(SQLITE, steps, hash);

export async function schemaHash(path: string): Promise<string> {
  const driver = sqliteDialect.driver;
  if (!driver) throw new Error('the SQLite dialect has no driver');
  return (await driver.inspect(`sqlite:${path}`)).hash;
}

export function deployOptions(path: string, plan: Plan, extra: Partial<DeployOptions> = {}): DeployOptions {
  return { ...DEFAULT_DEPLOY_LIMITS, dialect: sqliteDialect, url: `sqlite:${path}`, plan, ...extra };
}

/** Run SQL on the file with a connection of the test's own. */
export function exec(path: string, sql: string): void {
  const db = new Database(path);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/**
 * What "the file as it was" means, read with SQLite itself: every user object's CREATE
 * statement from sqlite_schema, and a hash of each user table's rows in rowid (or key) order,
 * with their rowids. Deploy's own journal tables are left out.
 */
export function fileState(path: string): { schema: string[]; tables: Record<string, string> } {
  const db = new Database(path, { readonly: true });
  try {
    const objects = db
      .prepare(
        `SELECT type, name, sql FROM sqlite_schema
          WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name NOT LIKE '\\_schemapilot\\_%' ESCAPE '\\'
          ORDER BY type, name`,
      )
      .all() as { type: string; name: string; sql: string | null }[];
    const tables: Record<string, string> = {};
    for (const o of objects.filter((x) => x.type === 'table')) {
      const q = `"${o.name.replace(/"/g, '""')}"`;
      const withoutRowid = /WITHOUT\s+ROWID/i.test(o.sql ?? '');
      const rows = db
        .prepare(
          withoutRowid
            ? `SELECT * FROM ${q} ORDER BY 1`
            : `SELECT rowid AS _rowid_, * FROM ${q} ORDER BY rowid`,
        )
        .raw()
        .all();
      tables[o.name] = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
    }
    return { schema: objects.map((o) => `${o.type} ${o.name}: ${o.sql ?? ''}`), tables };
  } finally {
    db.close();
  }
}

export function rows<T>(path: string, sql: string): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** A small shop: customers, orders referencing them, an index, a view and a trigger. */
export const SHOP_SQL = `
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  total REAL NOT NULL DEFAULT 0
);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
CREATE TABLE audit (at TEXT, what TEXT);
CREATE TRIGGER orders_audit AFTER INSERT ON orders BEGIN INSERT INTO audit VALUES (datetime('now'), 'order ' || NEW.id); END;
INSERT INTO customers (id, email, name) VALUES (1, 'a@x.io', 'Ann'), (2, 'b@x.io', 'Bob'), (3, 'a@x.io', 'Ann again');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
INSERT INTO orders (id, customer_id, total) SELECT i, 1 + i % 3, i * 1.5 FROM n;
`;
