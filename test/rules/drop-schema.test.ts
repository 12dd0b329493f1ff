import { ruleTester } from '../support/rule-tester.js';

ruleTester('drop-schema', {
  valid: ['CREATE SCHEMA billing', 'DROP TABLE IF EXISTS settings'],
  invalid: [
    {
      sql: 'DROP SCHEMA billing',
      message: /^DROP SCHEMA billing breaks code that still uses it/,
      safe: /\nDROP SCHEMA billing;$/,
      severity: 'error',
      // Dropping is the point; the safe path drops without CASCADE.
      safeStillFlagged: true,
    },
    {
      sql: 'DROP SCHEMA billing CASCADE',
      message: /drops every table, view, function and type in it/,
      safeStillFlagged: true,
    },
  ],
});
