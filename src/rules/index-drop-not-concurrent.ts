import { defineRule } from '../core/rule.js';

/**
 * DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's table. The drop itself is
 * quick, but the lock request queues behind any running query on the table, and every query
 * that arrives after it queues too: reads and writes stop until the slowest one finishes.
 * https://www.postgresql.org/docs/current/sql-dropindex.html
 */
export default defineRule({
  meta: {
    id: 'index-drop-not-concurrent',
    category: 'locking',
    severity: 'warning',
    description: 'DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table',
    kinds: ['drop index'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, facts, q, table: tableOf }) {
    if (change.kind !== 'drop index' || change.concurrently) return [];
    const table = facts.locks[0]?.table;
    const names = change.indexes.map((i) => q.table(i));
    const ifExists = change.ifExists ? 'IF EXISTS ' : '';
    if (table && tableOf(table)?.kind === 'partitioned table') {
      return [
        {
          message: `Dropping ${names.join(', ')} takes ACCESS EXCLUSIVE on partitioned table ${table}, and an index of a partitioned table cannot be dropped CONCURRENTLY: set a short lock_timeout and retry, or drop it in a quiet moment.`,
          safeAlternative: null,
          table,
        },
      ];
    }
    return [
      {
        message: `Dropping ${names.join(', ')} takes ACCESS EXCLUSIVE on ${table ?? 'its table'}: if a long query holds the table, reads and writes queue behind the DROP.`,
        safeAlternative: [
          "-- outside a transaction block (disable the runner's transaction for this migration), one index per statement:",
          ...(change.cascade
            ? ['-- CONCURRENTLY cannot CASCADE: drop the constraints that depend on the index first, by name']
            : []),
          ...names.map((n) => `DROP INDEX CONCURRENTLY ${ifExists}${n};`),
        ].join('\n'),
        ...(table ? { table } : {}),
      },
    ];
  },
});
