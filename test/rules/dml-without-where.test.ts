import { ruleTester } from '../support/rule-tester.js';
import { withoutPrimaryKey } from './schemas.js';

ruleTester('dml-without-where', {
  valid: [
    'UPDATE users SET score = 0 WHERE id = 1',
    'DELETE FROM audit WHERE id = 1',
    "INSERT INTO settings (id, value) VALUES (1, 'on')",
    { name: 'new table', sql: 'CREATE TABLE t (id int); DELETE FROM t' },
  ],
  invalid: [
    {
      sql: 'UPDATE users SET score = 0',
      message: /^UPDATE without WHERE changes every row of public\.users/,
      safe: /UPDATE users SET score = 0 WHERE id >= sp_from AND id < sp_from \+ 10000;/,
      severity: 'warning',
    },
    {
      name: 'small table: the same severity (it is about intent, not size)',
      sql: 'DELETE FROM settings',
      severity: 'warning',
      safe: /DELETE FROM settings WHERE id >= sp_from[\s\S]*-- to empty the table at once instead: TRUNCATE settings/,
    },
    {
      name: 'no primary key: DELETE batches by ctid',
      sql: 'DELETE FROM settings',
      schema: withoutPrimaryKey('settings'),
      safe: /\nDELETE FROM settings WHERE ctid IN \(SELECT settings\.ctid FROM settings LIMIT 10000\);\n/,
    },
    {
      name: 'no primary key: an UPDATE cannot be batched safely, so no SQL',
      sql: 'UPDATE settings SET value = NULL',
      schema: withoutPrimaryKey('settings'),
    },
  ],
});
