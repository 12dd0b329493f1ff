/**
 * Hand-written rebuilds of the rule-test schema's `users` (referenced by orders ON DELETE
 * CASCADE and tags ON DELETE SET NULL, read by the view active_users, with two indexes and a
 * trigger) and `orders` (referenced by order_items, a plain reference), as Prisma, Drizzle,
 * Rails and the documentation write them. What each finding claims is run on the library by
 * claims.test.ts.
 */
import { sqliteRuleTester } from '../../support/sqlite-rule-tester.js';

const NEW_USERS = `CREATE TABLE new_users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  nickname TEXT,
  score INTEGER NOT NULL DEFAULT 0 CHECK (score >= 0),
  status TEXT NOT NULL DEFAULT 'active',
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  name_lower TEXT GENERATED ALWAYS AS (lower(name)) VIRTUAL,
  plan TEXT NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'paid'))
);
INSERT INTO new_users (id, email, name, nickname, score, status, created_at)
  SELECT id, email, name, nickname, score, status, created_at FROM users;`;

const AGAIN = `CREATE INDEX users_status ON users (status);
CREATE INDEX users_recent ON users (created_at) WHERE status = 'active';
CREATE TRIGGER users_email_audit AFTER UPDATE OF email ON users
BEGIN
  INSERT INTO audit (user_id, action) VALUES (NEW.id, 'email changed');
END;
CREATE VIEW active_users AS SELECT id, email, nickname FROM users WHERE status = 'active';`;

/** The documented procedure for users, with parts left out or moved on request. */
function usersRebuild(
  o: {
    pragma?: 'before' | 'inside' | 'none';
    dropView?: boolean;
    again?: boolean;
    check?: boolean;
    tx?: boolean;
  } = {},
): string {
  const { pragma = 'before', dropView = true, again = true, check = true, tx = true } = o;
  return [
    pragma === 'before' ? 'PRAGMA foreign_keys = OFF;' : '',
    tx ? 'BEGIN;' : '',
    pragma === 'inside' ? 'PRAGMA foreign_keys = OFF;' : '',
    NEW_USERS,
    dropView ? 'DROP VIEW active_users;' : '',
    'DROP TABLE users;',
    'ALTER TABLE new_users RENAME TO users;',
    again
      ? AGAIN
      : dropView
        ? "CREATE VIEW active_users AS SELECT id, email, nickname FROM users WHERE status = 'active';"
        : '',
    check ? 'PRAGMA foreign_key_check;' : '',
    tx ? 'COMMIT;' : '',
    pragma === 'before' ? 'PRAGMA foreign_keys = ON;' : '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

sqliteRuleTester('sqlite-table-rebuild', {
  valid: [
    { name: 'the documented procedure, every step', sql: usersRebuild() },
    {
      name: 'Rails: copied through a temporary table, created again under its name (nothing references settings)',
      sql: `BEGIN;
CREATE TEMPORARY TABLE asettings (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO asettings (key, value) SELECT key, value FROM settings;
DROP TABLE settings;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL DEFAULT '') STRICT;
INSERT INTO settings (key, value) SELECT key, coalesce(value, '') FROM asettings;
DROP TABLE asettings;
COMMIT;`,
    },
    { name: 'a table dropped for good is not a rebuild', sql: 'DROP TABLE audit' },
    {
      name: 'a table the file created is rebuilt before anyone uses it',
      sql: `CREATE TABLE t (a INTEGER); CREATE TABLE new_t (a INTEGER NOT NULL); INSERT INTO new_t SELECT a FROM t; DROP TABLE t; ALTER TABLE new_t RENAME TO t;`,
    },
    {
      name: 'renaming the old table away first with legacy_alter_table ON and foreign keys off keeps references on the name',
      sql: `PRAGMA foreign_keys = OFF;
PRAGMA legacy_alter_table = ON;
BEGIN;
ALTER TABLE tags RENAME TO tags_old;
CREATE TABLE tags (tag TEXT NOT NULL, user_id INTEGER REFERENCES users (id) ON DELETE SET NULL);
INSERT INTO tags (tag, user_id) SELECT tag, user_id FROM tags_old;
DROP TABLE tags_old;
COMMIT;
PRAGMA legacy_alter_table = OFF;
PRAGMA foreign_keys = ON;`,
    },
    {
      name: 'renaming away first where nothing references the table (schema known)',
      sql: `ALTER TABLE audit RENAME TO audit_old; CREATE TABLE audit (id INTEGER PRIMARY KEY, action TEXT); DROP TABLE audit_old;`,
    },
    { name: 'ADD CHECK runs in place from 3.53.0', sql: 'ALTER TABLE users ADD CHECK (length(name) > 0)' },
    {
      name: 'SET NOT NULL runs in place from 3.53.0',
      sql: 'ALTER TABLE users ALTER COLUMN nickname SET NOT NULL',
    },
    {
      name: 'RENAME COLUMN exists from 3.25.0',
      version: '3.25.0',
      sql: 'ALTER TABLE users RENAME COLUMN nickname TO handle',
    },
  ],
  invalid: [
    {
      name: 'foreign keys on (never turned off): the DROP cascades into orders and clears tags.user_id',
      sql: usersRebuild({ pragma: 'none' }),
      message:
        /^DROP TABLE users in this rebuild runs while foreign_keys is on unless the connection turned it off .* it deletes the rows of orders that reference it \(user_id: ON DELETE CASCADE\); it sets tags\.user_id to NULL in every row that references it\. The copy in the new table does not bring them back, and PRAGMA defer_foreign_keys does not stop it\. PRAGMA foreign_keys does nothing inside a transaction: turn it off before BEGIN\.$/,
      safe: /^PRAGMA foreign_keys = OFF; -- before BEGIN.*\nBEGIN;\n.*\nPRAGMA foreign_key_check;.*\nCOMMIT;\nPRAGMA foreign_keys = ON;$/,
      count: 1,
    },
    {
      name: 'Prisma: defer_foreign_keys and foreign_keys=OFF inside BEGIN change nothing',
      sql: `BEGIN;\nPRAGMA defer_foreign_keys = ON;\n${usersRebuild({ pragma: 'inside', tx: false })}\nCOMMIT;`,
      message:
        /runs while foreign_keys is on unless .* ON DELETE CASCADE.*PRAGMA foreign_keys does nothing inside a transaction/,
      count: 1,
    },
    {
      name: "Drizzle: PRAGMA foreign_keys=OFF inside the runner's transaction does nothing",
      runner: 'drizzle',
      sql: usersRebuild({ pragma: 'inside', tx: false }),
      message:
        /ON DELETE CASCADE.*The runner runs the file in a transaction, where PRAGMA foreign_keys does nothing/,
      count: 1,
    },
    {
      name: 'foreign keys set on explicitly; orders is referenced by order_items without an action: the DROP fails',
      sql: `PRAGMA foreign_keys = ON;
BEGIN;
CREATE TABLE new_orders (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, total INTEGER NOT NULL, note TEXT, placed_at TEXT NOT NULL);
INSERT INTO new_orders SELECT id, user_id, total, note, placed_at FROM orders;
DROP VIEW order_totals;
DROP TABLE orders;
ALTER TABLE new_orders RENAME TO orders;
CREATE INDEX orders_user ON orders (user_id);
CREATE TRIGGER orders_total_guard BEFORE UPDATE OF total ON orders WHEN NEW.total < 0 AND NEW.note IS NULL BEGIN SELECT RAISE(ABORT, 'a negative total needs a note'); END;
CREATE VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
COMMIT;`,
      message:
        /^DROP TABLE orders in this rebuild runs while foreign_keys is on, .* it fails \("FOREIGN KEY constraint failed"\) if order_items has a row that references it \(order_id\): at the DROP, or at COMMIT when the reference is deferred/,
      count: 1,
    },
    {
      name: 'the view over users left in place: the RENAME fails',
      sql: usersRebuild({ dropView: false }),
      message:
        /^active_users reads users, and stays when it is dropped: ALTER TABLE new_users RENAME TO users then fails \("error in view active_users: no such table: main\.users"\)/,
      safe: /^DROP VIEW "active_users";\n/,
      count: 1,
    },
    {
      name: 'indexes and the trigger not created again',
      sql: usersRebuild({ again: false }),
      message:
        /^DROP TABLE users drops its indexes users_recent, users_status and trigger users_email_audit too, and this file does not create them again: queries that used those indexes read the whole table, what the trigger did stops happening\.$/,
      severity: 'warning',
      safe: /^-- after ALTER TABLE … RENAME TO "users":\nCREATE INDEX users_recent ON users \(created_at\) WHERE status = 'active';\nCREATE INDEX users_status ON users \(status\);\nCREATE TRIGGER users_email_audit AFTER UPDATE OF email ON users\n/,
      count: 1,
    },
    {
      name: 'no PRAGMA foreign_key_check before COMMIT',
      sql: usersRebuild({ check: false }),
      message: /^Foreign keys are off during this rebuild of users and nothing checks them before it commits/,
      severity: 'warning',
      count: 1,
    },
    {
      name: 'a foreign_key_check after COMMIT is too late',
      sql: usersRebuild({ check: false }).replace('COMMIT;', 'COMMIT;\nPRAGMA foreign_key_check;'),
      message: /nothing checks them before it commits/,
      count: 1,
    },
    {
      name: 'no transaction: a failure half-way leaves users dropped',
      sql: usersRebuild({ tx: false }),
      message:
        /^This rebuild of users runs outside a transaction: .* the table is gone and its rows are only in new_users/,
      severity: 'warning',
      count: 1,
    },
    {
      name: 'without a schema: the children are unknown',
      schema: null,
      sql: 'CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\nINSERT INTO new_users SELECT id, email FROM users;\nDROP TABLE users;\nALTER TABLE new_users RENAME TO users;',
      message:
        /^DROP TABLE users in this rebuild runs while foreign_keys is on unless .*: if other tables reference users, .*\(run with --db to know\)/,
      severity: 'warning',
      // Outside a transaction too.
      count: 2,
    },
    {
      name: 'the old table renamed away first: references follow it, then point at nothing',
      sql: `PRAGMA foreign_keys = OFF;
BEGIN;
ALTER TABLE users RENAME TO users_old;
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, nickname TEXT, score INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'active', created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO users SELECT id, email, name, nickname, score, status, created_at FROM users_old;
DROP TABLE users_old;
COMMIT;
PRAGMA foreign_keys = ON;`,
      message:
        /^Renaming users to users_old before creating the new users moves the foreign key of orders \(user_id\), the foreign key of tags \(user_id\), view active_users to users_old with it; after DROP TABLE users_old they point at a table that no longer exists/,
      safe: null,
      count: 1,
    },
    {
      name: 'RENAME COLUMN before 3.25.0',
      version: '3.24.0',
      sql: 'ALTER TABLE users RENAME COLUMN nickname TO handle',
      message:
        /^SQLite 3\.24\.0 refuses this RENAME COLUMN: "RENAME COLUMN needs SQLite 3\.25\.0\+ \(a syntax error before\)"\. Only a rebuild of users/,
      safe: /^-- SQLite cannot rename a column with ALTER TABLE: rebuild users .*\nPRAGMA foreign_keys = OFF;[\s\S]*-- CREATE INDEX users_recent ON users[\s\S]*PRAGMA foreign_key_check;.*\nCOMMIT;\nPRAGMA foreign_keys = ON;$/,
    },
    {
      name: 'SET NOT NULL before 3.53.0',
      version: '3.46.1',
      sql: 'ALTER TABLE users ALTER COLUMN nickname SET NOT NULL',
      message: /^SQLite 3\.46\.1 refuses this SET NOT NULL: "SET NOT NULL needs SQLite 3\.53\.0\+"/,
    },
    {
      name: 'ADD CHECK before 3.53.0',
      version: '3.45.0',
      sql: 'ALTER TABLE users ADD CONSTRAINT named CHECK (score < 100)',
      message: /refuses this ADD CHECK/,
    },
    {
      name: 'DROP CONSTRAINT before 3.53.0',
      version: '3.45.0',
      sql: 'ALTER TABLE users DROP CONSTRAINT users_score_check',
      message: /refuses this DROP CONSTRAINT/,
    },
    {
      name: 'DROP NOT NULL before 3.53.0',
      version: '3.45.0',
      sql: 'ALTER TABLE users ALTER COLUMN name DROP NOT NULL',
      message: /refuses this DROP NOT NULL/,
    },
  ],
});
