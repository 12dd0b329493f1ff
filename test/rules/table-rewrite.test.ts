import { ruleTester } from '../support/rule-tester.js';

ruleTester('table-rewrite', {
  valid: [
    'ALTER TABLE users SET (fillfactor = 90)',
    { name: 'new table', sql: 'CREATE UNLOGGED TABLE t (id int); ALTER TABLE t SET LOGGED' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users SET TABLESPACE fast_disk',
      // pg_repack is a command, not SQL: in the message, with the statement's tablespace.
      message:
        /On public\.users, SET TABLESPACE copies the table .* pg_repack moves it online: pg_repack --table=public\.users --tablespace=fast_disk --moveidx\.$/,
      safe: null,
      severity: 'error',
    },
    { sql: 'ALTER TABLE orders SET LOGGED', message: /writes all of it to the WAL/ },
    { sql: 'ALTER TABLE orders SET UNLOGGED', message: /emptied after a crash and not replicated/ },
    { sql: 'ALTER TABLE orders SET ACCESS METHOD heap', message: /SET ACCESS METHOD rewrites the table/ },
    { name: 'small table: warning', sql: 'ALTER TABLE settings SET UNLOGGED', severity: 'warning' },
  ],
});
