import { ruleTester } from '../support/rule-tester.js';

ruleTester('drop-not-null', {
  valid: [
    'ALTER TABLE users ALTER COLUMN name SET NOT NULL',
    { name: 'new table', sql: 'CREATE TABLE t (a int NOT NULL); ALTER TABLE t ALTER COLUMN a DROP NOT NULL' },
  ],
  invalid: [
    {
      sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL',
      message: /public\.users\.email can hold NULL: every reader that assumes a value/,
      safe: /^-- if writers only need to leave email out, give it a default instead \(ALTER COLUMN … SET DEFAULT\) and keep NOT NULL;[\s\S]*\nALTER TABLE users ALTER COLUMN email DROP NOT NULL;$/,
      severity: 'warning',
      // When readers are ready, the statement itself is the way.
      safeStillFlagged: true,
    },
  ],
});
