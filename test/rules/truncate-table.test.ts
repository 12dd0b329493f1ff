import { ruleTester } from '../support/rule-tester.js';

ruleTester('truncate-table', {
  valid: [
    'DELETE FROM audit WHERE id = 1',
    { name: 'new table', sql: 'CREATE TABLE t (id int); TRUNCATE t' },
  ],
  invalid: [
    {
      sql: 'TRUNCATE settings',
      message: /^TRUNCATE discards every row of public\.settings under ACCESS EXCLUSIVE;/,
      safe: /^-- keep a copy[^\n]*\nCREATE TABLE settings_backup AS TABLE settings;\nTRUNCATE settings;$/,
      severity: 'error',
      // Emptying the table is the point: the safe path keeps a copy, then still truncates.
      safeStillFlagged: true,
    },
    { name: 'one finding per table', sql: 'TRUNCATE TABLE audit, orders', count: 2, safeStillFlagged: true },
    {
      name: 'CASCADE: the tables it empties through foreign keys are named',
      sql: 'TRUNCATE users CASCADE',
      message: /It empties public\.orders too\.$/,
      safeStillFlagged: true,
    },
  ],
});
