import { ruleTester } from '../support/rule-tester.js';

ruleTester('rename-column', {
  valid: [
    { name: 'new table', sql: 'CREATE TABLE t (a int); ALTER TABLE t RENAME COLUMN a TO b' },
    'ALTER TABLE orders RENAME CONSTRAINT orders_user_id_fkey TO orders_user_fk',
  ],
  invalid: [
    {
      sql: 'ALTER TABLE orders RENAME COLUMN note TO remark',
      message: /^Renaming public\.orders\.note to remark breaks every query that still uses note/,
      safe: /^ALTER TABLE orders ADD COLUMN remark character varying\(100\);\n[\s\S]*NEW\.remark := COALESCE\(NEW\.remark, NEW\.note\);[\s\S]*UPDATE orders SET remark = note WHERE \(remark IS DISTINCT FROM note\) AND id >= sp_from[\s\S]*-- ALTER TABLE orders DROP COLUMN note;$/,
      severity: 'error',
    },
    {
      name: 'no schema: says the type is missing instead of a recipe that cannot run',
      schema: null,
      sql: 'ALTER TABLE orders RENAME COLUMN note TO remark',
      message:
        /breaks every query that still uses note: .* A safe alternative needs the type of public\.orders\.note: run with --db or --schema to get it\.$/,
      safe: null,
    },
    {
      name: 'a NOT NULL column with a default: NOT NULL after the backfill, the default once the old column is gone',
      sql: 'ALTER TABLE orders RENAME COLUMN status TO state',
      safe: /^ALTER TABLE orders ADD COLUMN state order_status;\n[\s\S]*\$batch\$;\nALTER TABLE orders ADD CONSTRAINT orders_state_not_null CHECK \(state IS NOT NULL\) NOT VALID;[\s\S]*\n-- ALTER TABLE orders DROP COLUMN status;\n-- ALTER TABLE orders ALTER COLUMN state SET DEFAULT 'pending'::order_status;$/,
    },
    {
      name: 'the indexes and foreign keys that go with the old column are named',
      sql: 'ALTER TABLE orders RENAME COLUMN user_id TO account_id',
      safe: /\n-- give account_id its own copy of orders_user_id_fkey \(they go when user_id is dropped\);\n/,
    },
    {
      name: 'small table: still an error',
      sql: 'ALTER TABLE settings RENAME COLUMN value TO val',
      severity: 'error',
    },
  ],
});
