import { ruleTester } from '../support/rule-tester.js';

ruleTester('drop-database', {
  valid: ['DROP SCHEMA billing', 'CREATE DATABASE scratch'],
  invalid: [
    {
      sql: 'DROP DATABASE legacy',
      message: /^DROP DATABASE legacy deletes the whole database/,
      severity: 'error',
    },
    {
      name: 'WITH (FORCE) also ends every session',
      sql: 'DROP DATABASE IF EXISTS legacy WITH (FORCE)',
      message: /terminates every session connected to it\.$/,
    },
  ],
});
