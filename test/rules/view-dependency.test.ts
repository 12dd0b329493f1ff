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
      message: /^PostgreSQL refuses to drop public\.users\.email while views read it \(public\.user_emails\)/,
      safe: /\nDROP VIEW user_emails;\nALTER TABLE users DROP COLUMN email;\n-- CREATE VIEW user_emails AS <its definition, without email>;$/,
      severity: 'error',
    },
    {
      sql: 'ALTER TABLE users DROP COLUMN email CASCADE',
      message: /CASCADE also drops the views that read public\.users\.email: public\.user_emails/,
    },
    {
      sql: 'ALTER TABLE users ALTER COLUMN email TYPE varchar(320)',
      message: /refuses to change the type of public\.users\.email while views read it/,
      safe: /DROP VIEW user_emails;\nALTER TABLE users ALTER COLUMN email TYPE varchar\(320\);\n-- CREATE VIEW user_emails AS <its definition>;$/,
    },
  ],
});
