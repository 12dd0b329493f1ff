import { expect, it } from 'vitest';
import { findingsFor } from '../support/rule-tester.js';

// backfill-in-ddl-transaction lowers its own severity to warning for an UPDATE with a WHERE on a
// large table (it may touch few rows); a severity the user configured must still win over that.
const sql = `UPDATE users SET name = 'x' WHERE score > 10`;

it("a configured severity wins over the finding's own", async () => {
  const own = await findingsFor('backfill-in-ddl-transaction', { sql });
  expect(own.map((f) => f.severity)).toEqual(['warning']);
  const configured = await findingsFor('backfill-in-ddl-transaction', {
    sql,
    config: { rules: { 'backfill-in-ddl-transaction': 'error' } },
  });
  expect(configured.map((f) => f.severity)).toEqual(['error']);
  const off = await findingsFor('backfill-in-ddl-transaction', {
    sql,
    config: { rules: { 'backfill-in-ddl-transaction': 'off' } },
  });
  expect(off).toEqual([]);
});
