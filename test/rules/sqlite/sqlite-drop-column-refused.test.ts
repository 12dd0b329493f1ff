/**
 * DROP COLUMN on the rule-test schema where SQLite refuses it; each message quoted here is the
 * one the library gives (the refusals are measured in test/dialects/sqlite/facts/columns.test.ts,
 * the safe alternatives run in safe-run.test.ts).
 */
import { sqliteRuleTester } from '../../support/sqlite-rule-tester.js';

sqliteRuleTester('sqlite-drop-column-refused', {
  valid: [
    'ALTER TABLE audit DROP COLUMN action',
    // Its own CHECK goes with the column (score >= 0 names no other column).
    'ALTER TABLE users DROP COLUMN score',
    // A generated column can be dropped; what it reads is untouched.
    'ALTER TABLE users DROP COLUMN name_lower',
    {
      name: "a column's own REFERENCES goes with it (the snapshot's CREATE TABLE says it is not a table FOREIGN KEY)",
      sql: 'ALTER TABLE tags DROP COLUMN user_id',
    },
    {
      name: 'a table the file created',
      sql: 'CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE); ALTER TABLE t DROP COLUMN b',
    },
  ],
  invalid: [
    {
      name: 'read by a view',
      sql: 'ALTER TABLE users DROP COLUMN nickname',
      message:
        /^SQLite refuses to drop users\.nickname: "error in view active_users after drop column: no such column: nickname"\. It is used by view active_users\./,
      safe: /^DROP VIEW "active_users";\nALTER TABLE "users" DROP COLUMN "nickname";\n-- then view active_users again without nickname/,
      safeStillFlagged: true,
    },
    {
      name: 'indexed (one index on it, one with it in its WHERE) and read by a view',
      sql: 'ALTER TABLE users DROP COLUMN status',
      message:
        /^SQLite refuses to drop users\.status: "error in index users_recent after drop column: no such column: status"\. It is used by index users_recent, index users_status, view active_users\. Drop what uses it first/,
      safe: /^DROP INDEX "users_recent";\nDROP INDEX "users_status";\nDROP VIEW "active_users";\nALTER TABLE "users" DROP COLUMN "status";\n/,
      safeStillFlagged: true,
    },
    {
      name: 'UNIQUE: part of the definition, only a rebuild',
      sql: 'ALTER TABLE users DROP COLUMN email',
      message:
        /^SQLite refuses to drop users\.email: "cannot drop UNIQUE column: "email""\. It is used by trigger users_email_audit, view active_users, UNIQUE \(email\)\. The column is part of the table's definition: only a rebuild of users removes it\.$/,
      safe: /^-- SQLite cannot drop the column email with ALTER TABLE: rebuild users/,
    },
    {
      name: 'the PRIMARY KEY',
      sql: 'ALTER TABLE order_items DROP COLUMN sku',
      message: /"cannot drop PRIMARY KEY column: "sku""/,
    },
    {
      name: "in another column's generated expression",
      sql: 'ALTER TABLE users DROP COLUMN name',
      message:
        /"error in table users after drop column: no such column: name"\. It is used by the generated column name_lower/,
    },
    {
      name: 'in a table CHECK with another column, and a trigger',
      sql: 'ALTER TABLE orders DROP COLUMN note',
      message:
        /It is used by trigger orders_total_guard, CHECK \(total >= 0 OR note IS NOT NULL\)\. The column is part of the table's definition/,
    },
    {
      name: 'in a table FOREIGN KEY (…) constraint',
      sql: 'ALTER TABLE order_items DROP COLUMN order_id',
      message: /cannot drop PRIMARY KEY column/,
    },
    {
      name: 'before 3.35.0 there is no DROP COLUMN',
      version: '3.31.1',
      sql: 'ALTER TABLE users DROP COLUMN nickname',
      message:
        /^SQLite 3\.31\.1 has no DROP COLUMN \(it came in 3\.35\.0\): "DROP COLUMN needs SQLite 3\.35\.0\+ \(a syntax error before\)"\. Rebuild users without the column/,
      safe: /rebuild users/,
    },
  ],
});
