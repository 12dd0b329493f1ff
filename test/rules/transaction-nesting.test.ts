import { ruleTester } from '../support/rule-tester.js';

ruleTester('transaction-nesting', {
  valid: [
    'BEGIN; ALTER TABLE users ADD COLUMN a int; COMMIT',
    'BEGIN; ALTER TABLE users ADD COLUMN a int; COMMIT; BEGIN; ALTER TABLE users ADD COLUMN b int; COMMIT',
    {
      name: 'golang-migrate: BEGIN … COMMIT around the whole file',
      runner: 'golang-migrate',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; ALTER TABLE users ADD COLUMN b int; COMMIT',
    },
    { runner: 'rails', sql: 'ALTER TABLE users ADD COLUMN a int' },
  ],
  invalid: [
    {
      name: 'BEGIN and COMMIT inside a runner-wrapped file',
      runner: 'rails',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; COMMIT',
      count: 2,
      message:
        /^BEGIN while a transaction is open \(the migration runner already runs this file in a transaction\).* Remove this BEGIN and its COMMIT\.$/,
      // Deleting statements is the fix: nothing to paste.
      safe: null,
      severity: 'warning',
    },
    {
      name: 'nested BEGIN',
      sql: 'BEGIN; ALTER TABLE users ADD COLUMN a int; BEGIN; ALTER TABLE users ADD COLUMN b int; COMMIT',
      count: 1,
      message: /a BEGIN earlier in this file is still open/,
    },
    {
      name: 'COMMIT in the middle of a runner-wrapped file',
      runner: 'rails',
      sql: 'ALTER TABLE users ADD COLUMN a int; COMMIT; ALTER TABLE users ADD COLUMN b int',
      message:
        /^COMMIT inside a file the migration runner wraps in a transaction ends the runner's transaction: the statements after it run outside any transaction/,
    },
    {
      name: 'COMMIT in the middle of a multi-statement file',
      runner: 'golang-migrate',
      sql: 'ALTER TABLE users ADD COLUMN a int; COMMIT; ALTER TABLE users ADD COLUMN b int',
      message: /makes the statements before it permanent while the rest still runs/,
    },
    {
      runner: 'rails',
      sql: 'ALTER TABLE users ADD COLUMN a int; ROLLBACK',
      message: /^ROLLBACK inside a file/,
    },
  ],
});
