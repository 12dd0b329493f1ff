import { ruleTester } from '../support/rule-tester.js';

ruleTester('drop-table', {
  valid: [{ name: 'new table', sql: 'CREATE TABLE t (id int); DROP TABLE t' }, 'DROP VIEW user_emails'],
  invalid: [
    {
      sql: 'DROP TABLE settings',
      message: /^Dropping public\.settings breaks every query that still uses it, and its rows are gone/,
      safe: /\nDROP TABLE IF EXISTS settings;$/,
      severity: 'error',
      // Dropping is the point: the safe path still drops, later.
      safeStillFlagged: true,
    },
    {
      name: 'views that read it make the DROP fail',
      sql: 'DROP TABLE users',
      message: /Views that read it: public\.user_emails \(the DROP fails while they exist\)/,
      safeStillFlagged: true,
    },
    {
      name: 'one finding per table, whatever its size',
      sql: 'DROP TABLE audit, settings',
      count: 2,
      severity: 'error',
      safeStillFlagged: true,
    },
  ],
});
