import { defineRule } from '../core/rule.js';

/**
 * REINDEX without CONCURRENTLY holds SHARE on the table (writes wait) and ACCESS EXCLUSIVE on
 * each index it rebuilds (queries that would use it wait) for the whole rebuild.
 * REINDEX … CONCURRENTLY (PostgreSQL 12+) builds a replacement beside the old index instead.
 * https://www.postgresql.org/docs/current/sql-reindex.html#SQL-REINDEX-CONCURRENTLY
 */
export default defineRule({
  meta: {
    id: 'reindex-not-concurrent',
    category: 'locking',
    severity: 'error',
    description:
      'REINDEX without CONCURRENTLY blocks writes, and reads that use the index, for the whole rebuild',
    kinds: ['reindex'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, facts, q, major, table: tableOf }) {
    if (change.kind !== 'reindex' || change.concurrently) return [];
    const table = facts.locks[0]?.table;
    const target = change.target.toUpperCase();
    const name =
      change.name === ''
        ? ''
        : change.target === 'index' || change.target === 'table'
          ? q.table(change.name)
          : q.ident(change.name);
    const subject = [target, name].filter((p) => p !== '').join(' ');
    const message = `REINDEX ${subject} rebuilds while holding SHARE on the table and ACCESS EXCLUSIVE on each index: writes, and reads that use those indexes, wait until it ends.`;
    const located = table ? { table } : {};
    if (change.target === 'system') {
      return [
        {
          message: `${message} REINDEX SYSTEM has no CONCURRENTLY form: run it in a quiet window.`,
          safeAlternative: null,
        },
      ];
    }
    if (major >= 12) {
      return [
        {
          message,
          safeAlternative: [
            "-- outside a transaction block (disable the runner's transaction for this migration):",
            `REINDEX ${target} CONCURRENTLY${name ? ` ${name}` : ''};`,
            '-- if it fails, it leaves an INVALID index named *_ccnew: drop it (DROP INDEX CONCURRENTLY) and retry.',
          ].join('\n'),
          ...located,
        },
      ];
    }
    // Before 12: rebuild one index by hand, beside the old one, then swap the names.
    const index =
      change.target === 'index' && table
        ? tableOf(table)?.indexes.find((i) => `${tableOf(table)?.schema}.${i.name}` === change.name)
        : undefined;
    const head = /^CREATE (UNIQUE )?INDEX \S+ ON /;
    if (!index || index.constraint !== null || !head.test(index.definition)) {
      return [
        {
          message: `${message} PostgreSQL ${major} has no REINDEX CONCURRENTLY (12+): rebuild each index with CREATE INDEX CONCURRENTLY under a new name, then drop the old one concurrently and rename.`,
          safeAlternative: null,
          ...located,
        },
      ];
    }
    const bare = change.name.slice(change.name.indexOf('.') + 1);
    const schema = change.name.slice(0, change.name.indexOf('.'));
    const fresh = `${bare.slice(0, 58)}_new`;
    const definition = index.definition.replace(
      head,
      (_m, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX CONCURRENTLY ${q.ident(fresh)} ON `,
    );
    return [
      {
        message: `${message} PostgreSQL ${major} has no REINDEX CONCURRENTLY (12+).`,
        safeAlternative: [
          "-- outside a transaction block (disable the runner's transaction for this migration):",
          `${definition};`,
          `DROP INDEX CONCURRENTLY ${q.table(change.name)};`,
          `ALTER INDEX ${q.table(`${schema}.${fresh}`)} RENAME TO ${q.ident(bare)};`,
        ].join('\n'),
        ...located,
      },
    ];
  },
});
