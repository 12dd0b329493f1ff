import { ruleTester } from '../support/rule-tester.js';

ruleTester('vacuum-full-or-cluster', {
  valid: [
    'VACUUM users',
    'VACUUM (ANALYZE) users, orders',
    'ANALYZE users',
    { name: 'new table', sql: 'CREATE TABLE t (id int); VACUUM FULL t' },
  ],
  invalid: [
    {
      sql: 'VACUUM FULL users',
      message:
        /VACUUM FULL rewrites public\.users and their indexes while ACCESS EXCLUSIVE blocks reads and writes/,
      safe: /\nVACUUM \(ANALYZE\) users;\n[\s\S]*-- pg_repack --no-order --table=public\.users/,
      severity: 'error',
    },
    { sql: 'VACUUM (FULL, ANALYZE) orders, users', safe: /VACUUM \(ANALYZE\) orders, users;/ },
    {
      name: 'the whole database',
      sql: 'VACUUM FULL',
      message: /every table of the database/,
      safe: /\nVACUUM \(ANALYZE\);\n/,
    },
    {
      sql: 'CLUSTER orders USING orders_pkey',
      message: /CLUSTER public\.orders rewrites the table/,
      safe: /-- pg_repack --table=public\.orders --order-by=id/,
    },
    {
      name: 'CLUSTER of every clustered table: no online form',
      sql: 'CLUSTER',
      message: /every previously clustered table/,
    },
    { name: 'empty table: info', sql: 'VACUUM FULL audit', severity: 'info' },
  ],
});
