import { ruleTester } from '../support/rule-tester.js';
import { withIndex } from './schemas.js';

ruleTester('reindex-not-concurrent', {
  valid: [
    'REINDEX INDEX CONCURRENTLY users_pkey',
    'REINDEX TABLE CONCURRENTLY users',
    { name: 'new table', sql: 'CREATE TABLE t (id int PRIMARY KEY); REINDEX TABLE t' },
  ],
  invalid: [
    {
      sql: 'REINDEX TABLE users',
      message: /REINDEX TABLE users rebuilds while holding SHARE on the table/,
      safe: /\nREINDEX TABLE CONCURRENTLY users;\n/,
      severity: 'error',
    },
    { sql: 'REINDEX DATABASE app', safe: /REINDEX DATABASE CONCURRENTLY app;/ },
    { name: 'small table: warning', sql: 'REINDEX INDEX settings_pkey', severity: 'warning' },
    {
      name: 'PostgreSQL 11: rebuild beside the old index, then swap names',
      major: 11,
      schema: withIndex('users', 'users_name_idx', ['name'], { major: 11 }),
      sql: 'REINDEX INDEX users_name_idx',
      message: /PostgreSQL 11 has no REINDEX CONCURRENTLY/,
      safe: /CREATE INDEX CONCURRENTLY users_name_idx_new ON public\.users USING btree \(name\);\nDROP INDEX CONCURRENTLY users_name_idx;\nALTER INDEX users_name_idx_new RENAME TO users_name_idx;$/,
    },
    {
      name: 'PostgreSQL 11, a whole table: no paste-ready form',
      major: 11,
      sql: 'REINDEX TABLE users',
      message: /rebuild each index with CREATE INDEX CONCURRENTLY/,
    },
    { sql: 'REINDEX SYSTEM', message: /REINDEX SYSTEM has no CONCURRENTLY form/ },
  ],
});
