import { ruleTester } from '../support/rule-tester.js';

ruleTester('enum-value-change', {
  valid: [
    "ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid'",
    { name: 'a type no column uses', sql: "CREATE TYPE mood AS ENUM ('ok'); DROP TYPE mood" },
  ],
  invalid: [
    {
      sql: "ALTER TYPE order_status RENAME VALUE 'paid' TO 'settled'",
      message:
        /breaks code that still writes or compares 'paid'.* Columns of this type: public\.orders\.status\.$/,
      safe: /^ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'settled' AFTER 'paid';\n[\s\S]*UPDATE orders SET status = 'settled' WHERE \(status = 'paid'\) AND id >= sp_from/,
      severity: 'error',
    },
    {
      name: 'no schema: says the columns are unknown instead of an UPDATE template',
      schema: null,
      sql: "ALTER TYPE order_status RENAME VALUE 'paid' TO 'settled'",
      safe: /\n-- \(the columns of type public\.order_status are unknown: run with --db or --schema to get the UPDATE for each\)\n/,
    },
    {
      sql: 'DROP TYPE order_status',
      message:
        /fails while columns use it: public\.orders\.status; .* First move each of them off the type .* then DROP TYPE public\.order_status without CASCADE\.$/,
      // Moving the columns off the type is the user's choice, and the DROP fails until then.
      safe: null,
    },
    {
      sql: 'DROP TYPE order_status CASCADE',
      message: /CASCADE drops the columns that use it, with their data: public\.orders\.status/,
      safeStillFlagged: true,
    },
  ],
});
