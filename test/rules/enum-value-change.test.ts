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
      name: 'no schema: the columns are the user’s to name',
      schema: null,
      sql: "ALTER TYPE order_status RENAME VALUE 'paid' TO 'settled'",
      safe: /-- UPDATE <table> SET <column> = 'settled' WHERE <column> = 'paid';/,
    },
    {
      sql: 'DROP TYPE order_status',
      message: /fails while columns use it: public\.orders\.status/,
      // Moving the columns off the type is the user's choice; the DROP stays.
      safeStillFlagged: true,
    },
    {
      sql: 'DROP TYPE order_status CASCADE',
      message: /CASCADE drops the columns that use it, with their data: public\.orders\.status/,
      safeStillFlagged: true,
    },
  ],
});
