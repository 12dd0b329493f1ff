import { ruleTester } from '../support/rule-tester.js';

ruleTester('drop-column', {
  valid: ['ALTER TABLE users ADD COLUMN a int', 'CREATE TABLE t (a int, b int); ALTER TABLE t DROP COLUMN b'],
  invalid: [
    {
      sql: 'ALTER TABLE users DROP COLUMN email',
      message: /Dropping public\.users\.email breaks every query.*Views that read it: public\.user_emails/,
      severity: 'error',
      // The archive copy pairs each value with the row's primary key, from the schema.
      safe: /\n-- 2\. optionally keep the data: CREATE TABLE users_email_archive AS SELECT id, email FROM users;\n/,
      safeStillFlagged: true,
    },
    {
      name: 'no schema: the archive copy needs the key, so it says so instead of a placeholder',
      schema: null,
      sql: 'ALTER TABLE users DROP COLUMN email',
      safe: /\n-- 2\. optionally keep the data \(run with --db or --schema for the SQL: it needs the primary key\);\n/,
      safeStillFlagged: true,
    },
  ],
});
