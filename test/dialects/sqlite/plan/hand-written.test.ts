/**
 * Table rebuilds written by hand (as Prisma and Drizzle generate them, or people write them)
 * planned for SQLite: kept as one step as written, never split into steps of their own (where
 * PRAGMA foreign_keys would run inside a transaction and DROP TABLE in another), checked against
 * the documented procedure and the schema, with a rollback that rebuilds the table back. Each
 * problem the check reports is shown to happen on the real library.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plan } from '../../../../src/api/plan.js';
import type { Plan } from '../../../../src/core/plan.js';
import { sqliteDialect } from '../../../../src/dialects/sqlite/index.js';
import { inlineMigration } from '../../../../src/formats/read.js';
import { healthy, HEALTHY, state } from '../support/compare.js';
import { shop } from '../support/fixture.js';
import { runSteps, snapshotOf, tempDir, type Db, type TempDir } from '../support/schema.js';

let dir: TempDir;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = dir.open('shop.db', shop());
});
afterEach(() => dir.remove());

async function planSql(sql: string): Promise<Plan> {
  return plan({
    files: [inlineMigration('m.sql', sql, 'plain')],
    snapshot: snapshotOf(db),
    dialect: sqliteDialect,
  });
}

/** What Prisma writes to make customers.name NOT NULL (its "RedefineTables" block). */
const PRISMA_STYLE = `-- RedefineTables
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_customers" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL,
  status TEXT DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  referrer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT customers_email_key UNIQUE (email)
);
INSERT INTO "new_customers" ("id", "email", "name", "status", "referrer_id", "created_at") SELECT "id", "email", "name", "status", "referrer_id", "created_at" FROM "customers";
DROP TABLE "customers";
ALTER TABLE "new_customers" RENAME TO "customers";
PRAGMA foreign_key_check;
PRAGMA foreign_keys=ON;`;

describe('a rebuild written by hand', () => {
  it('is one step as written, with what it forgets and what breaks it in the warnings', async () => {
    const p = await planSql(PRISMA_STYLE);
    expect(p.steps).toHaveLength(1);
    const [step] = p.steps;
    expect(step).toMatchObject({ asWritten: true, transactional: false, lock: { table: 'main.customers' } });
    expect(step?.sql[0]).toBe('PRAGMA foreign_keys=OFF');
    expect(step?.description).toMatch(
      /^As written: customers rebuilt by hand \(SQLite's 12-step procedure\), kept as one step; 7 problem\(s\) found/,
    );
    expect(p.warnings).toEqual([
      'main.customers: the rebuild of customers is not one transaction: a failure half way leaves customers dropped or half copied; put BEGIN before CREATE TABLE and COMMIT after the last statement',
      "main.customers: index customers_active_idx went with DROP TABLE customers and is not created again: CREATE INDEX customers_active_idx ON customers (created_at) WHERE status = 'active';",
      'main.customers: index customers_lower_email went with DROP TABLE customers and is not created again: CREATE INDEX customers_lower_email ON customers (lower(email));',
      'main.customers: index customers_name_idx went with DROP TABLE customers and is not created again: CREATE INDEX customers_name_idx ON customers (name COLLATE NOCASE DESC);',
      expect.stringMatching(
        /^main\.customers: trigger customers_audit went with DROP TABLE customers and is not created again: CREATE TRIGGER customers_audit AFTER UPDATE OF status ON customers/,
      ),
      'main.customers: view active_customers, view customer_totals, trigger orders_audit read customers: since SQLite 3.26 the RENAME re-reads them while customers is dropped and fails ("no such table: main.customers"); put PRAGMA legacy_alter_table = ON right before it and OFF right after',
      "main.customers: customers has AUTOINCREMENT and its counter is not carried over: ids of rows deleted last are given again; copy it with 'customers''s row of sqlite_sequence before DROP TABLE",
    ]);
  });

  it('run as written on the real library, it fails where the check says, with customers already dropped', () => {
    const statements = PRISMA_STYLE.replace('-- RedefineTables\n', '').split(';\n');
    let failure = '';
    for (const sql of statements)
      try {
        db.exec(sql);
      } catch (error) {
        failure = (error as Error).message;
        break;
      }
    expect(failure).toMatch(
      /^error in (view active_customers|view customer_totals|trigger orders_audit): no such table: main\.customers$/,
    );
    // No transaction: what ran before the failure stays.
    expect(
      db.prepare("SELECT name FROM sqlite_schema WHERE name IN ('customers', 'new_customers')").all(),
    ).toEqual([{ name: 'new_customers' }]);
  });

  it('written as the documentation says finds nothing missing, and its rollback rebuilds the original back', async () => {
    const complete = `PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "new_customers" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL,
  status TEXT DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  referrer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT customers_email_key UNIQUE (email)
);
INSERT INTO "new_customers" SELECT * FROM "customers";
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'customers') WHERE name = 'new_customers';
DROP TABLE "customers";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "new_customers" RENAME TO "customers";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX customers_name_idx ON customers (name COLLATE NOCASE DESC);
CREATE INDEX customers_active_idx ON customers (created_at) WHERE status = 'active';
CREATE INDEX customers_lower_email ON customers (lower(email));
CREATE TRIGGER customers_audit AFTER UPDATE OF status ON customers
BEGIN
  INSERT INTO audit (event) VALUES ('status ' || NEW.id || ' ' || NEW.status);
END;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;`;
    const p = await planSql(complete);
    expect(p.warnings).toEqual([]);
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0]?.description).toMatch(/nothing found missing$/);
    expect(p.steps[0]?.rollback.slice(0, 2)).toEqual(['PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE']);
    const original = state(db);
    runSteps(db, p.steps);
    expect(healthy(db)).toEqual(HEALTHY);
    expect(
      db.prepare('SELECT "notnull" FROM pragma_table_info(?) WHERE name = ?').get('customers', 'name'),
    ).toEqual({ notnull: 1 });
    runSteps(db, p.steps, 'rollback');
    expect(state(db)).toEqual(original);
  });

  it('renaming the old table first is the order the documentation cautions against', async () => {
    const p = await planSql(`PRAGMA foreign_keys = OFF;
BEGIN;
ALTER TABLE tags RENAME TO old_tags;
CREATE TABLE tags (label TEXT NOT NULL, weight INT);
INSERT INTO tags (rowid, label, weight) SELECT rowid, label, weight FROM old_tags;
DROP TABLE old_tags;
COMMIT;
PRAGMA foreign_keys = ON;`);
    expect(p.steps).toHaveLength(1);
    expect(p.warnings).toEqual([
      "main.tags is renamed to old_tags before its replacement is created: the rename rewrites the references to it in views, triggers and other tables' foreign keys to old_tags, which is then dropped (the procedure https://www.sqlite.org/lang_altertable.html#otheralter cautions against); create the new table under a new name, drop the old one, then rename the new one",
    ]);
  });

  it("the user's own BEGIN … COMMIT is one step, undone statement by statement", async () => {
    const p = await planSql('BEGIN;\nCREATE INDEX tags_weight ON tags (weight);\nCOMMIT;');
    expect(p.steps).toMatchObject([
      {
        asWritten: true,
        transactional: false,
        sql: ['BEGIN', 'CREATE INDEX tags_weight ON tags (weight)', 'COMMIT'],
        rollback: ['DROP INDEX IF EXISTS "main"."tags_weight"'],
      },
    ]);
    const original = state(db);
    runSteps(db, p.steps);
    runSteps(db, p.steps, 'rollback');
    expect(state(db)).toEqual(original);
  });
});
