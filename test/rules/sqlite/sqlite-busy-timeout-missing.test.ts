/**
 * The first write of a file on a database in use, with no busy timeout. That a writer without
 * one fails at once with SQLITE_BUSY while another connection holds the write lock, and waits
 * with one, is run on the library in claims.test.ts.
 */
import { sqliteRuleTester } from '../../support/sqlite-rule-tester.js';

sqliteRuleTester('sqlite-busy-timeout-missing', {
  valid: [
    'PRAGMA busy_timeout = 5000;\nALTER TABLE users ADD COLUMN bio TEXT;',
    {
      name: 'a first migration: only its own tables',
      sql: 'CREATE TABLE t (a INTEGER);\nCREATE INDEX t_a ON t (a);\nINSERT INTO t VALUES (1);',
    },
    { name: 'reads only', sql: 'SELECT count(*) FROM users;\nPRAGMA foreign_key_check;' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ADD COLUMN bio TEXT;\nALTER TABLE users ADD COLUMN site TEXT;',
      message:
        /^No PRAGMA busy_timeout is set before the first write of this file: .* fails at once with SQLITE_BUSY \("database is locked"\), unless the tool that runs the migration sets a busy timeout on its connection \(better-sqlite3, Python and go-sqlite3 default to 5 s; the sqlite3 shell to none\)\./,
      severity: 'info',
      safe: /^PRAGMA busy_timeout = 5000;/,
      count: 1,
    },
    {
      name: 'a new table in a database in use: its first write already needs the write lock',
      sql: 'CREATE TABLE coupons (code TEXT PRIMARY KEY);\nALTER TABLE orders ADD COLUMN coupon TEXT REFERENCES coupons (code);',
      count: 1,
    },
    {
      name: 'set to 0: fails at once',
      sql: 'PRAGMA busy_timeout = 0;\nDELETE FROM audit WHERE id = 1;',
      message: /^busy_timeout is 0 before the first write of this file/,
      severity: 'warning',
    },
  ],
});
