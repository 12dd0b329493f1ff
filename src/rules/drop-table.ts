import { defineRule } from '../core/rule.js';
import { dumpCommand } from './mysql/sql.js';
import { sqliteDropTable } from './sqlite/generic.js';

/**
 * DROP TABLE breaks every query of the running application version that still uses the table,
 * and its data cannot be brought back by a rollback. It also takes ACCESS EXCLUSIVE on the
 * tables its foreign keys reference. Stop using it first, keep a copy, drop it in a later release.
 * https://www.postgresql.org/docs/current/sql-droptable.html
 */
export default defineRule({
  meta: {
    id: 'drop-table',
    category: 'breaking',
    severity: 'error',
    description: 'DROP TABLE breaks code that still uses the table and loses its data',
    kinds: ['drop table'],
    scalesWithSize: false,
    skipNewTables: true,
  },
  check(ctx) {
    const { change, q, viewsUsing, dialect } = ctx;
    if (change.kind !== 'drop table') return [];
    if (dialect === 'sqlite') return sqliteDropTable(ctx, change);
    return change.tables.map((table) => {
      const views = viewsUsing(table);
      return {
        message:
          `Dropping ${table} breaks every query that still uses it, and its rows are gone (a rollback cannot restore them).` +
          (views.length > 0
            ? ` Views that read it: ${views.join(', ')}${change.cascade ? ' (CASCADE drops them too)' : ' (the DROP fails while they exist)'}.`
            : ''),
        safeAlternative: [
          `-- 1. stop every service from reading and writing ${table}, deploy;`,
          dialect === 'mysql'
            ? `-- 2. keep a copy if the data may be needed (${dumpCommand(table)});`
            : '-- 2. keep a copy if the data may be needed (pg_dump --table, or a copy in an archive schema);',
          '-- 3. then, in a later release:',
          `DROP TABLE IF EXISTS ${q.table(table)};`,
        ].join('\n'),
        table,
      };
    });
  },
});
