import { ruleTester } from '../support/rule-tester.js';

ruleTester('drop-column', {
  valid: ['ALTER TABLE users ADD COLUMN a int', 'CREATE TABLE t (a int, b int); ALTER TABLE t DROP COLUMN b'],
  invalid: [
    {
      sql: 'ALTER TABLE users DROP COLUMN email',
      message: /Dropping public\.users\.email breaks every query.*Views that read it: public\.user_emails/,
      severity: 'error',
      safeStillFlagged: true,
    },
  ],
});
