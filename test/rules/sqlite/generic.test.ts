/**
 * The rules that hold for every dialect, analysed as SQLite: SQLite's words and SQLite SQL in
 * their messages and safe alternatives (the tester rejects PostgreSQL's and MySQL's), and no
 * finding where SQLite refuses the statement (the sqlite-* rule that owns the refusal reports
 * it) or where the statement is a step of a table rebuild. The scripts run on the library in
 * safe-run.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { sqliteFindingsFor, sqliteRuleTester } from '../../support/sqlite-rule-tester.js';

const USERS_REBUILD = `PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, nickname TEXT, score INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'active', created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO new_users SELECT id, email, name, nickname, score, status, created_at FROM users;
DROP VIEW active_users;
DROP TABLE users;
ALTER TABLE new_users RENAME TO users;
CREATE VIEW active_users AS SELECT id, email, nickname FROM users WHERE status = 'active';
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;`;

sqliteRuleTester('drop-column', {
  valid: [
    'CREATE TABLE t (a INTEGER, b INTEGER); ALTER TABLE t DROP COLUMN b',
    {
      name: 'SQLite refuses it (a view reads it): nothing is dropped',
      sql: 'ALTER TABLE users DROP COLUMN nickname',
    },
    { name: 'no DROP COLUMN before 3.35.0', version: '3.31.1', sql: 'ALTER TABLE users DROP COLUMN score' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users DROP COLUMN score',
      message: /^Dropping users\.score breaks every query that still uses it, and its data is gone/,
      safe: /^-- 1\. .*\n-- 2\. optionally keep the data: CREATE TABLE "users_score_archive" AS SELECT "id", "score" FROM "users";\n-- 3\. then, in a later release:\nALTER TABLE "users" DROP COLUMN "score";$/,
      safeStillFlagged: true,
    },
    {
      name: 'no primary key: VACUUM INTO keeps a copy of everything',
      sql: 'ALTER TABLE tags DROP COLUMN tag',
      safe: /no primary key to pair the values with: VACUUM INTO 'backup-before-migration\.db' keeps a copy/,
      safeStillFlagged: true,
    },
  ],
});

sqliteRuleTester('drop-table', {
  valid: [
    'CREATE TABLE t (a INTEGER); DROP TABLE t',
    { name: 'a step of a rebuild: the table comes back with its rows', sql: USERS_REBUILD },
  ],
  invalid: [
    {
      sql: 'DROP TABLE settings',
      message: /^Dropping settings breaks every query that still uses it, and its rows are gone/,
      safe: /-- 2\. keep a copy if the data may be needed \(VACUUM INTO 'backup-before-migration\.db', or the sqlite3 shell's \.backup\);\n-- 3\. then, in a later release:\nDROP TABLE IF EXISTS "settings";$/,
      safeStillFlagged: true,
    },
    {
      name: 'views stay and fail; foreign keys cascade into other tables',
      sql: 'DROP TABLE users',
      message:
        /Views that read it: active_users \(SQLite keeps them, and they fail when read\)\. With foreign_keys on, SQLite deletes its rows first, so the ON DELETE CASCADE of orders, SET NULL of tags changes those tables too\.$/,
      safeStillFlagged: true,
    },
  ],
});

sqliteRuleTester('rename-column', {
  valid: [
    'CREATE TABLE t (a INTEGER); ALTER TABLE t RENAME COLUMN a TO b',
    {
      name: 'before 3.25.0 SQLite refuses it (sqlite-table-rebuild reports)',
      version: '3.24.0',
      sql: 'ALTER TABLE users RENAME COLUMN nickname TO handle',
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users RENAME COLUMN nickname TO handle',
      message: /^Renaming users\.nickname to handle breaks every query that still uses nickname/,
      safe: new RegExp(
        [
          '^ALTER TABLE "users" ADD COLUMN "handle" TEXT;',
          '.*',
          'CREATE TRIGGER "users_handle_sync_insert" AFTER INSERT ON "users" BEGIN UPDATE "users" SET "handle" = coalesce\\(NEW\\."handle", NEW\\."nickname"\\), "nickname" = coalesce\\(NEW\\."nickname", NEW\\."handle"\\) WHERE "rowid" = NEW\\."rowid"; END;',
          'CREATE TRIGGER "users_handle_sync_old" AFTER UPDATE OF "nickname" ON "users" .*',
          'CREATE TRIGGER "users_handle_sync_new" AFTER UPDATE OF "handle" ON "users" .*',
          '.*',
          'UPDATE "users" SET "handle" = "nickname" WHERE "rowid" IN \\(SELECT "rowid" FROM "users" WHERE "handle" IS NOT "nickname" LIMIT 10000\\);',
        ].join('\\n'),
      ),
    },
    {
      name: 'a WITHOUT ROWID table is matched on its primary key',
      sql: 'ALTER TABLE order_items RENAME COLUMN qty TO quantity',
      safe: /WHERE "order_id" = NEW\."order_id" AND "sku" = NEW\."sku"; END;\n[\s\S]*WHERE \("order_id", "sku"\) IN \(SELECT "order_id", "sku" FROM "order_items" /,
    },
    {
      name: 'without the schema the column type is unknown',
      schema: null,
      sql: 'ALTER TABLE users RENAME COLUMN nickname TO handle',
      message: /Run with --db for the steps: they need the column's type\.$/,
      safe: null,
    },
  ],
});

sqliteRuleTester('rename-table', {
  valid: [
    'ALTER TABLE users RENAME TO people; CREATE VIEW users AS SELECT * FROM people',
    { name: 'the second half of a rebuild: the new table takes the name', sql: USERS_REBUILD },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users RENAME TO people',
      message: /^Renaming users to people breaks every query that still uses users/,
      safe: /^-- in one transaction.*\nBEGIN;\nALTER TABLE "users" RENAME TO "people";\nCREATE VIEW "users" AS SELECT \* FROM "people";\nCOMMIT;\n-- the view serves old code that reads \(a SQLite view takes no writes without INSTEAD OF triggers\);/,
    },
  ],
});

sqliteRuleTester('dml-without-where', {
  valid: ['DELETE FROM audit WHERE id < 10'],
  invalid: [
    {
      sql: 'DELETE FROM tags',
      message:
        /^DELETE without WHERE deletes every row of tags in one statement that holds the database write lock until it ends; SQLite locks the whole database/,
      safe: /^-- if every row is meant.*\n-- run it again until it deletes 0 rows:\nDELETE FROM "tags" WHERE rowid IN \(SELECT rowid FROM "tags" LIMIT 10000\);$/,
    },
    {
      sql: 'UPDATE users SET score = 0',
      safe: /\nUPDATE users SET score = 0 WHERE rowid BETWEEN 1 AND 10000;\n/,
    },
    { name: 'a WITHOUT ROWID table has no rowid to batch on', sql: 'DELETE FROM order_items', safe: null },
  ],
});

sqliteRuleTester('drop-not-null', {
  valid: [
    'ALTER TABLE users ALTER COLUMN nickname DROP NOT NULL',
    {
      name: 'before 3.53.0 SQLite refuses it',
      version: '3.45.0',
      sql: 'ALTER TABLE users ALTER COLUMN name DROP NOT NULL',
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ALTER COLUMN name DROP NOT NULL',
      message: /^After DROP NOT NULL, users\.name can hold NULL/,
      safe: /^-- deploy readers that handle NULL first, then:\nALTER TABLE "users" ALTER COLUMN "name" DROP NOT NULL;$/,
      safeStillFlagged: true,
    },
  ],
});

sqliteRuleTester('missing-object', {
  valid: [
    'ALTER TABLE users ADD COLUMN phone TEXT',
    'DROP INDEX IF EXISTS nope',
    'CREATE TABLE IF NOT EXISTS users (id INTEGER)',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN email TEXT',
      message: /users already has a column email: the statement fails \(SQLite: "duplicate column name"\)/,
    },
    { sql: 'ALTER TABLE nobody ADD COLUMN a INTEGER', message: /\(SQLite: "no such table"\)/ },
    { sql: 'ALTER TABLE users DROP COLUMN nope', message: /\(SQLite: "no such column"\)/ },
    { sql: 'CREATE INDEX users_status ON users (name)', message: /\(SQLite: "index … already exists"\)/ },
    { sql: 'DROP TABLE nobody', message: /\(SQLite: "no such table"\)/ },
    { sql: 'CREATE TABLE users (id INTEGER)', message: /\(SQLite: "table … already exists"\)/ },
  ],
});

describe('rules for every dialect that stay quiet on SQLite', () => {
  it('add-required-column: SQLite refuses the statement itself (sqlite-add-column-refused)', async () => {
    const sql = 'ALTER TABLE users ADD COLUMN plan TEXT NOT NULL';
    expect(await sqliteFindingsFor('add-required-column', { sql })).toEqual([]);
    expect((await sqliteFindingsFor('sqlite-add-column-refused', { sql })).length).toBe(1);
  });

  it('view-dependency: SQLite refuses the drop (sqlite-drop-column-refused)', async () => {
    const sql = 'ALTER TABLE users DROP COLUMN nickname';
    expect(await sqliteFindingsFor('view-dependency', { sql })).toEqual([]);
    expect((await sqliteFindingsFor('sqlite-drop-column-refused', { sql })).length).toBe(1);
  });
});
