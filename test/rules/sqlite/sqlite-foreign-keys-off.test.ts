/**
 * PRAGMA foreign_keys as migrations write it. That it does nothing inside a transaction (and
 * that the setting outlives the file on its connection) is run on the library in claims.test.ts.
 */
import { sqliteRuleTester } from '../../support/sqlite-rule-tester.js';

sqliteRuleTester('sqlite-foreign-keys-off', {
  valid: [
    'PRAGMA foreign_keys = OFF;\nBEGIN;\nDELETE FROM audit WHERE id < 10;\nCOMMIT;\nPRAGMA foreign_keys = ON;',
    'PRAGMA foreign_keys = ON',
    'PRAGMA foreign_keys',
    {
      name: 'turned on inside a transaction does nothing, and harms nothing',
      sql: 'BEGIN;\nPRAGMA foreign_keys = ON;\nCOMMIT;',
    },
    { name: '0 and 1 are off and on', sql: 'PRAGMA foreign_keys = 0;\nPRAGMA foreign_keys = 1;' },
  ],
  invalid: [
    {
      name: 'inside BEGIN … COMMIT',
      sql: 'BEGIN;\nPRAGMA foreign_keys = OFF;\nDELETE FROM audit WHERE id < 10;\nCOMMIT;',
      message:
        /^PRAGMA foreign_keys = OFF inside a transaction does nothing: SQLite changes foreign_keys only when no transaction is open, so foreign keys stay on/,
      safe: /^PRAGMA foreign_keys = OFF; -- before BEGIN\nBEGIN;\n/,
      count: 1,
    },
    {
      name: "inside the runner's transaction (Drizzle runs every migration in one)",
      runner: 'drizzle',
      sql: 'PRAGMA foreign_keys=OFF;\nDELETE FROM audit WHERE id < 10;\nPRAGMA foreign_keys=ON;',
      message:
        /^PRAGMA foreign_keys = OFF inside the runner's transaction \(it runs the whole file in one\) does nothing/,
      // The runner's transaction is still there when the alternative is analysed.
      safeStillFlagged: true,
      count: 1,
    },
    {
      name: 'left off at the end of the file',
      sql: 'PRAGMA foreign_keys = OFF;\nDELETE FROM audit WHERE id < 10;',
      message:
        /^foreign_keys is turned off and not turned on again in this file: the connection goes on writing without checking foreign keys/,
      safe: /^PRAGMA foreign_keys = OFF;\n-- … the statements that need it …\nPRAGMA foreign_keys = ON; -- after COMMIT$/,
    },
    {
      name: 'turned on again only inside a transaction',
      sql: 'PRAGMA foreign_keys = OFF;\nBEGIN;\nDELETE FROM audit WHERE id < 10;\nPRAGMA foreign_keys = ON;\nCOMMIT;',
      message: /turned on again only inside a transaction, where the PRAGMA does nothing/,
      count: 1,
    },
  ],
});
