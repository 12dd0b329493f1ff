import { ruleTester } from '../support/rule-tester.js';

ruleTester('exclusion-constraint-added', {
  valid: [
    'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID',
    {
      name: 'new table',
      sql: 'CREATE TABLE booking (room int, during tsrange); ALTER TABLE booking ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&)',
    },
  ],
  invalid: [
    {
      sql: "ALTER TABLE orders ADD CONSTRAINT one_pending EXCLUDE USING btree (user_id WITH =) WHERE (status = 'pending')",
      message:
        /Adding one_pending builds its index over every row of public\.orders .* no concurrent or NOT VALID form/,
      severity: 'error',
    },
    {
      name: 'small table: warning',
      sql: 'ALTER TABLE settings ADD EXCLUDE USING btree (value WITH =)',
      severity: 'warning',
    },
  ],
});
