import { defineRule } from '../../core/rule.js';
import { columnChange } from './column-change.js';
import { expectedOnline } from './online.js';
import { alterClauses, onlineSchemaChange } from './sql.js';
import { sameType } from './types.js';
import { copyCost, serverWords, shown } from './words.js';
import { dedicatedRule } from './owners.js';

/**
 * CONVERT TO CHARACTER SET re-encodes every text column, and a column given another charset (or
 * restated by MODIFY without one, which gives it the table's default) is re-encoded too: a table
 * copy, except utf8mb3 → utf8mb4, which MariaDB 10.4+ does in place. utf8mb4 keys also take up
 * to 4 bytes a character, so an index on a long VARCHAR may no longer fit.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-table-operations
 * https://mariadb.com/resources/blog/alter-table-improvements-in-mariadb-server-10-4/
 */
export default defineRule({
  meta: {
    id: 'mysql-charset-conversion',
    category: 'locking',
    severity: 'error',
    description: 'CONVERT TO CHARACTER SET, or a column moved to another charset, copies the whole table',
    kinds: ['alter table other', 'alter column type'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change } = ctx;
    if (dedicatedRule(ctx.change, ctx) !== 'mysql-charset-conversion') return [];
    const index = ctx.statementChanges.indexOf(change);
    if (expectedOnline(ctx, change, index)?.algorithm !== 'COPY') return [];
    const clauses = alterClauses(ctx.statement.sql);
    if (change.kind === 'alter table other') {
      const target = /^CONVERT TO CHARACTER SET (\w+)/i.exec(change.subtype)?.[1];
      if (!target) return [];
      const from = ctx.table(change.table)?.charset;
      return [
        {
          message: `Converting ${shown(change.table)}${from ? ` from ${from}` : ''} to ${target} re-encodes every text column, which copies the table on ${serverWords(ctx.major)}: ${copyCost(ctx, change.table)}. Check that indexes on text columns still fit (up to ${target.startsWith('utf8mb4') ? 4 : 3} bytes a character).`,
          safeAlternative: clauses ? onlineSchemaChange(change.table, clauses).join('\n') : null,
        },
      ];
    }
    if (change.kind !== 'alter column type') return [];
    const c = columnChange(ctx, change);
    if (!c || !sameType(c.from, c.to)) return [];
    const implicit = change.type.sql.search(/CHARACTER SET/i) < 0;
    return [
      {
        message:
          `${shown(change.table)}.${change.column} goes from ${c.current.charset ?? 'its charset'} to ${c.toCharset ?? 'another charset'}` +
          (implicit ? ' (MODIFY without CHARACTER SET gives it the table default)' : '') +
          `: every value is re-encoded, which copies the table: ${copyCost(ctx, change.table)}.` +
          (implicit ? ` Write CHARACTER SET ${c.current.charset ?? ''} in the MODIFY to keep it.` : ''),
        safeAlternative: clauses ? onlineSchemaChange(change.table, clauses).join('\n') : null,
      },
    ];
  },
});
