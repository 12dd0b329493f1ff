import { defineRule } from '../core/rule.js';
import { ended } from './sql.js';

/**
 * DETACH PARTITION takes ACCESS EXCLUSIVE on the partitioned table: every query on every
 * partition waits for it, and queues behind any running query. PostgreSQL 14 added
 * DETACH … CONCURRENTLY, which needs only SHARE UPDATE EXCLUSIVE on the partitioned table (the
 * partition being detached is still locked, briefly, at the end).
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION
 */
export default defineRule({
  meta: {
    id: 'partition-detach-not-concurrent',
    category: 'locking',
    severity: 'warning',
    description: 'DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the partitioned table',
    kinds: ['detach partition'],
    // A partitioned table's own statistics say 0 rows whatever its partitions hold.
    scalesWithSize: false,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, q, major, sql }) {
    if (!sql) return [];
    if (change.kind !== 'detach partition' || change.concurrently || change.finalize) return [];
    const message = `Detaching ${change.partition} takes ACCESS EXCLUSIVE on ${change.table}: queries on every partition wait for it, and queue behind any running query.`;
    if (major < 14) {
      return [
        {
          message: `${message} DETACH … CONCURRENTLY needs PostgreSQL 14+; on ${major}, set a short lock_timeout and retry.`,
          safeAlternative: null,
        },
      ];
    }
    return [
      {
        message,
        safeAlternative: [
          "-- outside a transaction block (disable the runner's transaction for this migration); not possible while a DEFAULT partition exists:",
          ended(
            sql.alterTable(q, change.table, `DETACH PARTITION ${q.table(change.partition)} CONCURRENTLY`),
          ),
          `-- if it is interrupted: ${ended(sql.alterTable(q, change.table, `DETACH PARTITION ${q.table(change.partition)} FINALIZE`))}`,
        ].join('\n'),
      },
    ];
  },
});
