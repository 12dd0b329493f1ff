import { ruleTester } from '../support/rule-tester.js';

ruleTester('unrecognized-statement', {
  valid: ['ALTER TABLE users ADD COLUMN a int'],
  invalid: [
    { sql: 'DO $$ BEGIN PERFORM 1; END $$', message: /^DO is not analyzed/, severity: 'info' },
    {
      name: 'named as written, not by the parser’s tag (DefineStmt)',
      sql: 'CREATE AGGREGATE my_sum (int) (sfunc = int4pl, stype = int)',
      message: /^CREATE AGGREGATE is not analyzed/,
    },
    {
      name: 'SecLabelStmt is SECURITY LABEL',
      sql: "SECURITY LABEL FOR selinux ON TABLE users IS 'system_u:object_r:sepgsql_table_t:s0'",
      message: /^SECURITY LABEL is not analyzed/,
    },
  ],
});
