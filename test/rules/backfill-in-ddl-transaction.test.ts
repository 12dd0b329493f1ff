import { ruleTester } from '../support/rule-tester.js';

ruleTester('backfill-in-ddl-transaction', {
  valid: [
    'UPDATE users SET score = 0 WHERE id = 42',
    'UPDATE users SET score = 0 WHERE id IN (1, 2, 3)',
    {
      name: 'already a batch',
      sql: 'UPDATE users SET score = 0 WHERE id IN (SELECT id FROM users WHERE score IS NULL LIMIT 1000)',
    },
    { name: 'a key range', runner: 'rails', sql: 'UPDATE users SET score = 0 WHERE id >= 1 AND id < 10001' },
    { name: 'small table', sql: "UPDATE settings SET value = NULL WHERE value = ''" },
    {
      name: 'copy into a new table',
      sql: 'BEGIN; CREATE TABLE t (id bigint); INSERT INTO t SELECT id FROM users; COMMIT',
    },
    {
      name: 'INSERT … VALUES after DDL',
      runner: 'rails',
      sql: "ALTER TABLE users ADD COLUMN x int; INSERT INTO settings (id, value) VALUES (1, 'on')",
    },
    {
      name: 'DDL committed before the backfill',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN x int; COMMIT; UPDATE users SET x = 0 WHERE id BETWEEN 1 AND 1000',
    },
  ],
  invalid: [
    {
      runner: 'rails',
      sql: 'ALTER TABLE users ADD COLUMN x int; UPDATE users SET x = 0 WHERE x IS NULL',
      message: /same transaction as earlier DDL, which still holds ACCESS EXCLUSIVE on public\.users/,
      safe: /^-- move it to a migration of its own[\s\S]*DO \$batch\$[\s\S]*UPDATE users SET x = 0 WHERE \(x IS NULL\) AND id >= sp_from AND id < sp_from \+ 10000;[\s\S]*\$batch\$;$/,
      severity: 'error',
    },
    {
      name: 'INSERT … SELECT after DDL: severity follows the locked table',
      runner: 'rails',
      sql: 'ALTER TABLE orders ADD COLUMN x int; INSERT INTO audit (id, payload) SELECT id, NULL FROM orders',
      severity: 'error',
      safe: /\nINSERT INTO audit \(id, payload\) SELECT id, NULL FROM orders;$/,
    },
    {
      name: 'one unbatched UPDATE of a large table',
      sql: 'UPDATE users SET score = 0 WHERE score IS NULL',
      message: /may touch many rows of public\.users \(~1,000,000 rows\) in one transaction/,
      severity: 'warning',
      safe: /UPDATE users SET score = 0 WHERE \(score IS NULL\) AND id >= sp_from/,
    },
    {
      name: 'no WHERE: every row',
      sql: 'DELETE FROM orders',
      message: /touches every row of public\.orders/,
      severity: 'error',
    },
    {
      name: 'UPDATE … FROM: the key is qualified',
      sql: 'UPDATE users u SET score = o.total FROM orders o WHERE o.user_id = u.id',
      safe: /WHERE \(o\.user_id = u\.id\) AND u\.id >= sp_from AND u\.id < sp_from \+ 10000;/,
    },
    {
      // Batches by row address end only when an updated row stops matching, which the user's
      // own WHERE does not promise: no key, no batches, and the message says what is missing.
      name: 'no schema: an UPDATE is not batched without the key, and the message says so',
      schema: null,
      sql: 'UPDATE users SET score = 0 WHERE score IS NULL',
      message:
        /size unknown.* A safe alternative needs the primary key of public\.users to batch it: run with --db or --schema to get it\.$/,
      safe: null,
    },
    {
      name: 'no schema: a DELETE is batched by row address, the WHERE checked again on each row',
      schema: null,
      sql: "DELETE FROM users WHERE name = 'x'",
      safe: /sp_rows := ARRAY\(SELECT ctid FROM users WHERE name = 'x' LIMIT 10000\);\n\s+EXIT WHEN cardinality\(sp_rows\) = 0;\n\s+DELETE FROM users WHERE \(name = 'x'\) AND ctid = ANY \(sp_rows\);\n\s+COMMIT;/,
    },
    {
      name: 'PostgreSQL 10: no COMMIT inside DO, so batches by LIMIT',
      major: 10,
      sql: 'UPDATE users SET score = 0 WHERE score IS NULL',
      safe: /\nUPDATE users SET score = 0 WHERE id IN \(SELECT users\.id FROM users WHERE score IS NULL LIMIT 10000\);$/,
    },
  ],
});
