import { defineRule } from '../core/rule.js';

/**
 * TRUNCATE deletes every row at once, outside MVCC (concurrent snapshots see the table empty),
 * fires no DELETE triggers, and takes ACCESS EXCLUSIVE. After commit the data is gone: a
 * migration rollback cannot bring it back.
 * https://www.postgresql.org/docs/current/sql-truncate.html
 */
export default defineRule({
  meta: {
    id: 'truncate-table',
    category: 'breaking',
    severity: 'error',
    description: 'TRUNCATE deletes all rows of an existing table, beyond any rollback',
    kinds: ['truncate'],
    scalesWithSize: false,
    skipNewTables: true,
  },
  check({ change, q }) {
    if (change.kind !== 'truncate') return [];
    return change.tables.map((table) => {
      const bare = table.slice(table.indexOf('.') + 1);
      const schema = table.slice(0, table.indexOf('.'));
      const backup = q.table(`${schema}.${bare.slice(0, 55)}_backup`);
      return {
        message: `TRUNCATE deletes every row of ${table} under ACCESS EXCLUSIVE; once committed, a rollback of the migration cannot restore them.`,
        safeAlternative: [
          '-- keep a copy first if the rows may be needed again (or pg_dump --table):',
          `CREATE TABLE ${backup} AS TABLE ${q.table(table)};`,
          `TRUNCATE ${q.table(table)};`,
        ].join('\n'),
        table,
      };
    });
  },
});
