import { ruleTester } from '../support/rule-tester.js';

ruleTester('unrecognized-statement', {
  valid: ['ALTER TABLE users ADD COLUMN a int'],
  invalid: [{ sql: 'DO $$ BEGIN PERFORM 1; END $$', message: /^DO is not analyzed/, severity: 'info' }],
});
