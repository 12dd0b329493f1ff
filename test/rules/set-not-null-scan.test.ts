import { ruleTester } from '../support/rule-tester.js';

ruleTester('set-not-null-scan', {
  valid: [
    {
      name: 'a validated CHECK proves it on 12+',
      sql: `ALTER TABLE users ADD CONSTRAINT n CHECK (name IS NOT NULL) NOT VALID; COMMIT;
            ALTER TABLE users VALIDATE CONSTRAINT n; ALTER TABLE users ALTER COLUMN name SET NOT NULL`,
    },
    'ALTER TABLE users ALTER COLUMN email SET NOT NULL',
    {
      name: 'a foreign table has no local rows to scan',
      sql: 'ALTER FOREIGN TABLE remote_users ALTER COLUMN name SET NOT NULL',
    },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ALTER COLUMN name SET NOT NULL',
      message: /reads every row while holding ACCESS EXCLUSIVE/,
      safe: /CHECK \(name IS NOT NULL\) NOT VALID/,
    },
    {
      name: 'PostgreSQL 11 scans even with a CHECK',
      major: 11,
      sql: `ALTER TABLE users ADD CONSTRAINT n CHECK (name IS NOT NULL) NOT VALID;
            ALTER TABLE users VALIDATE CONSTRAINT n; ALTER TABLE users ALTER COLUMN name SET NOT NULL`,
      safeStillFlagged: true,
    },
  ],
});
