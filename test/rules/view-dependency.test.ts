import { ruleTester } from '../support/rule-tester.js';

ruleTester('view-dependency', {
  valid: [
    { name: 'a column no view reads', sql: 'ALTER TABLE users DROP COLUMN score' },
    { name: 'the view is dropped first', sql: 'DROP VIEW user_emails; ALTER TABLE users DROP COLUMN email' },
    { name: 'views follow a rename', sql: 'ALTER TABLE users RENAME COLUMN email TO mail' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users DROP COLUMN email',
      // Recreating the view needs its definition and grants: steps in words, no SQL that drops it for good.
      message:
        /^PostgreSQL refuses to drop public\.users\.email while views read it \(public\.user_emails\): the migration fails; with CASCADE it would drop the views\. In one transaction: drop the views, drop the column, create them again without email and grant their privileges again \(SELECT pg_get_viewdef\('public\.user_emails'::regclass, true\)/,
      safe: null,
      severity: 'error',
    },
    {
      sql: 'ALTER TABLE users DROP COLUMN email CASCADE',
      message: /CASCADE also drops the views that read public\.users\.email: public\.user_emails/,
    },
    {
      sql: 'ALTER TABLE users ALTER COLUMN email TYPE varchar(320)',
      message:
        /refuses to change the type of public\.users\.email while views read it .* In one transaction: drop the views, change the column, create them again and grant/,
      safe: null,
    },
  ],
});
