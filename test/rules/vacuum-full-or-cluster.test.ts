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
        /VACUUM FULL rewrites public\.users and their indexes while ACCESS EXCLUSIVE blocks reads and writes.* online, use pg_repack: pg_repack --no-order --table=public\.users\.$/,
      // Only SQL: pg_repack is a command, in the message.
      safe: /^-- makes dead space reusable [^\n]*\nVACUUM \(ANALYZE\) users;$/,
      severity: 'error',
    },
    { sql: 'VACUUM (FULL, ANALYZE) orders, users', safe: /VACUUM \(ANALYZE\) orders, users;/ },
    {
      name: 'the whole database',
      sql: 'VACUUM FULL',
      message: /every table of the database/,
      safe: /\nVACUUM \(ANALYZE\);$/,
    },
    {
      sql: 'CLUSTER orders USING orders_pkey',
      message:
        /CLUSTER public\.orders rewrites the table.* pg_repack --table=public\.orders --order-by=id\.$/,
      safe: null,
    },
    {
      name: 'CLUSTER without a schema: names the index whose columns --order-by needs',
      schema: null,
      sql: 'CLUSTER orders USING orders_pkey',
      message:
        /pg_repack --table=public\.orders, with --order-by set to the columns of orders_pkey \(run with --db or --schema/,
      safe: null,
    },
    {
      name: 'CLUSTER of every clustered table: no online form',
      sql: 'CLUSTER',
      message: /every previously clustered table/,
    },
    { name: 'empty table: info', sql: 'VACUUM FULL audit', severity: 'info' },
  ],
});
