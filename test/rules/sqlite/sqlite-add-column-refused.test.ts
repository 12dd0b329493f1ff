/**
 * ADD COLUMN forms SQLite refuses, on users (1,000,000 rows) and audit (empty in the schema).
 * The refusals and that four of them apply only to a table with rows are run on the library
 * (test/dialects/sqlite/facts/columns.test.ts, and claims.test.ts for the empty table); the
 * safe alternatives run in safe-run.test.ts.
 */
import { sqliteRuleTester } from '../../support/sqlite-rule-tester.js';

sqliteRuleTester('sqlite-add-column-refused', {
  valid: [
    "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'",
    'ALTER TABLE users ADD COLUMN bio TEXT',
    // A literal in parentheses is a constant default.
    'ALTER TABLE users ADD COLUMN level INTEGER DEFAULT (-1)',
    "ALTER TABLE users ADD COLUMN email_domain TEXT AS (substr(email, instr(email, '@') + 1)) VIRTUAL",
    // With no default, a new REFERENCES column is NULL in every row: nothing to check.
    'ALTER TABLE orders ADD COLUMN coupon_id INTEGER REFERENCES settings (key)',
    {
      name: 'a table the file created and never filled',
      sql: 'CREATE TABLE t (a INTEGER); ALTER TABLE t ADD COLUMN b TEXT NOT NULL',
    },
    {
      name: 'foreign keys off: SQLite does not check the REFERENCES default',
      sql: 'PRAGMA foreign_keys = OFF;\nALTER TABLE orders ADD COLUMN coupon_id INTEGER REFERENCES settings (key) DEFAULT 1;\nPRAGMA foreign_keys = ON;',
    },
  ],
  invalid: [
    {
      name: 'NOT NULL without a default on a table with rows',
      sql: 'ALTER TABLE users ADD COLUMN plan TEXT NOT NULL',
      message:
        /^SQLite refuses this ADD COLUMN plan: "Cannot add a NOT NULL column with default value NULL" \(users has rows\): the migration stops there\. Give it a DEFAULT for the existing rows\.$/,
      safe: /^-- existing rows get the default: choose the value they should have\nALTER TABLE "users" ADD COLUMN "plan" TEXT NOT NULL DEFAULT '';$/,
    },
    {
      name: 'NOT NULL DEFAULT NULL is the same',
      sql: 'ALTER TABLE users ADD COLUMN visits INTEGER NOT NULL DEFAULT NULL',
      safe: /ADD COLUMN "visits" INTEGER NOT NULL DEFAULT 0;$/,
    },
    {
      name: 'on a table empty in the schema given: passes there, fails where it has rows',
      sql: 'ALTER TABLE audit ADD COLUMN note TEXT NOT NULL',
      message:
        /as soon as audit has a row; it is empty in the schema given, so the statement passes there and fails on a database where the table has rows\.$/,
      severity: 'warning',
    },
    {
      name: 'a table the file filled',
      sql: 'CREATE TABLE t (a INTEGER);\nINSERT INTO t VALUES (1);\nALTER TABLE t ADD COLUMN b TEXT NOT NULL',
      message: /"Cannot add a NOT NULL column with default value NULL"/,
    },
    {
      name: 'UNIQUE: always, even empty; a unique index instead',
      sql: 'ALTER TABLE audit ADD COLUMN token TEXT UNIQUE',
      message:
        /^SQLite refuses this ADD COLUMN token: "Cannot add a UNIQUE column": the migration stops there\. Add the column, then a UNIQUE index on it\.$/,
      severity: 'error',
      safe: /^ALTER TABLE "audit" ADD COLUMN "token" TEXT;\nCREATE UNIQUE INDEX "audit_token_unique" ON "audit" \("token"\);$/,
    },
    {
      name: 'PRIMARY KEY: only a rebuild',
      sql: 'ALTER TABLE tags ADD COLUMN id INTEGER PRIMARY KEY',
      message: /"Cannot add a PRIMARY KEY column".*Only a rebuild of the table adds a PRIMARY KEY column\./,
      safe: /^-- SQLite cannot add the PRIMARY KEY column id with ALTER TABLE: rebuild tags/,
    },
    {
      name: 'CURRENT_TIMESTAMP is not a constant',
      sql: 'ALTER TABLE users ADD COLUMN seen_at TEXT DEFAULT CURRENT_TIMESTAMP',
      message: /"Cannot add a column with non-constant default"/,
      safe: /^ALTER TABLE "users" ADD COLUMN "seen_at" TEXT;\nUPDATE "users" SET "seen_at" = CURRENT_TIMESTAMP WHERE "seen_at" IS NULL;\n-- new rows get no default/,
    },
    {
      name: 'a function call in parentheses is not a constant; NOT NULL then comes after the fill',
      sql: "ALTER TABLE users ADD COLUMN day TEXT NOT NULL DEFAULT (date('now'))",
      safe: /UPDATE "users" SET "day" = date\('now'\) WHERE "day" IS NULL;\n.* DEFAULT \(date\('now'\)\)\n-- NOT NULL afterwards: ALTER TABLE "users" ALTER COLUMN "day" SET NOT NULL \(SQLite 3\.53\.0\+\), or the rebuild$/,
    },
    {
      name: 'an expression in parentheses is not a constant, even 1 + 1',
      sql: 'ALTER TABLE users ADD COLUMN level INTEGER DEFAULT (1 + 1)',
      message: /"Cannot add a column with non-constant default"/,
      safe: /UPDATE "users" SET "level" = 1 \+ 1 WHERE "level" IS NULL;/,
    },
    {
      name: 'a REFERENCES column with a default while foreign keys are on',
      sql: 'ALTER TABLE orders ADD COLUMN coupon_id INTEGER REFERENCES settings (key) DEFAULT 1',
      message:
        /"Cannot add a REFERENCES column with non-NULL default value".*Add it with no default \(NULL\) and fill it with an UPDATE\./,
    },
    {
      name: 'STORED generated: VIRTUAL instead',
      sql: 'ALTER TABLE users ADD COLUMN email_lower TEXT AS (lower(email)) STORED',
      message: /"cannot add a STORED column"/,
      safe: /^ALTER TABLE "users" ADD COLUMN "email_lower" TEXT AS \(lower\(email\)\) VIRTUAL;$/,
    },
  ],
});
