import { ruleTester } from '../support/rule-tester.js';
import { withIndex, withPartitions } from './schemas.js';

const schema = withIndex('users', 'users_name_idx', ['name']);

ruleTester('index-drop-not-concurrent', {
  valid: [
    { sql: 'DROP INDEX CONCURRENTLY users_name_idx', schema },
    { sql: 'DROP INDEX CONCURRENTLY IF EXISTS users_name_idx', schema },
    {
      name: 'new table: nobody uses it yet',
      sql: 'CREATE TABLE t (id int); CREATE INDEX t_idx ON t (id); DROP INDEX t_idx',
    },
  ],
  invalid: [
    {
      sql: 'DROP INDEX users_name_idx',
      schema,
      message: /Dropping users_name_idx takes ACCESS EXCLUSIVE on public\.users/,
      safe: /\nDROP INDEX CONCURRENTLY users_name_idx;$/,
      severity: 'warning',
    },
    {
      name: 'several indexes and CASCADE: one concurrent drop each, dependents first',
      sql: 'DROP INDEX IF EXISTS users_name_idx, users_pkey CASCADE',
      schema,
      safe: /CONCURRENTLY cannot CASCADE[\s\S]*DROP INDEX CONCURRENTLY IF EXISTS users_name_idx;\nDROP INDEX CONCURRENTLY IF EXISTS users_pkey;$/,
    },
    {
      name: 'small table: info',
      sql: 'DROP INDEX settings_value_idx',
      schema: withIndex('settings', 'settings_value_idx', ['value']),
      severity: 'info',
    },
    {
      name: 'index unknown to the schema: full severity',
      sql: 'DROP INDEX mystery_idx',
      severity: 'warning',
    },
    {
      name: 'partitioned table: CONCURRENTLY is not possible, so no SQL',
      sql: 'DROP INDEX events_id_idx',
      schema: withIndex('events', 'events_id_idx', ['id'], { base: withPartitions() }),
      message: /cannot be dropped CONCURRENTLY: set a short lock_timeout/,
    },
  ],
});
