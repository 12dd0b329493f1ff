import { ruleTester } from '../support/rule-tester.js';
import { withPartitions } from './schemas.js';

const schema = withPartitions();

ruleTester('partition-detach-not-concurrent', {
  valid: [
    { sql: 'ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY', schema },
    { sql: 'ALTER TABLE events DETACH PARTITION events_2024 FINALIZE', schema },
    {
      name: 'new table',
      sql: `CREATE TABLE p (id int) PARTITION BY RANGE (id);
            CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (10);
            ALTER TABLE p DETACH PARTITION p1`,
    },
  ],
  invalid: [
    {
      name: 'a partitioned parent reports 0 rows: severity does not scale',
      sql: 'ALTER TABLE events DETACH PARTITION events_2024',
      schema,
      message: /Detaching public\.events_2024 takes ACCESS EXCLUSIVE on public\.events/,
      safe: /\nALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;\n/,
      severity: 'warning',
    },
    {
      name: 'before PostgreSQL 14 there is no CONCURRENTLY',
      major: 13,
      sql: 'ALTER TABLE events DETACH PARTITION events_2024',
      schema: withPartitions(13),
      message: /needs PostgreSQL 14\+; on 13/,
    },
  ],
});
