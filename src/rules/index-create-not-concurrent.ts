import { defineRule } from '../core/rule.js';

/** CREATE INDEX without CONCURRENTLY holds SHARE on the table for the whole build: writes wait. */
export default defineRule({
  meta: {
    id: 'index-create-not-concurrent',
    category: 'locking',
    severity: 'error',
    description: 'CREATE INDEX without CONCURRENTLY blocks writes for the whole build',
    kinds: ['create index'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, statement }) {
    if (change.kind !== 'create index' || change.index.concurrently || change.index.only) return [];
    const safe = statement.sql.replace(/^\s*CREATE\s+(UNIQUE\s+)?INDEX\b/i, (m) => `${m} CONCURRENTLY`);
    return [
      {
        message:
          `Building index ${change.index.name ?? ''} holds SHARE on ${change.index.table}: INSERT, UPDATE and DELETE wait until the build ends.`.replace(
            'index  holds',
            'the index holds',
          ),
        safeAlternative: [
          "-- outside a transaction block (disable the runner's transaction for this migration):",
          `${safe};`,
          '-- if it fails, it leaves an INVALID index: DROP INDEX CONCURRENTLY it and retry.',
        ].join('\n'),
      },
    ];
  },
});
