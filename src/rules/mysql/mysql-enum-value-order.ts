import { defineRule } from '../../core/rule.js';
import { columnChange, typeSpan } from './column-change.js';
import { expectedOnline } from './online.js';
import { withOnlineClause } from './sql.js';
import { copyCost, shown } from './words.js';
import { dedicatedRule } from './owners.js';

/**
 * MySQL stores an ENUM as the value's position in the list (a SET as a bit per value): a value
 * added at the end changes only metadata, but one inserted before others, a reordered list, or a
 * list that needs more storage bytes (over 255 ENUM values, past a multiple of 8 SET values)
 * renumbers every row, which takes a table copy.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-column-operations
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/#adding-a-new-enum-option
 */
export default defineRule({
  meta: {
    id: 'mysql-enum-value-order',
    category: 'locking',
    severity: 'error',
    description: 'ENUM/SET values inserted mid-list or reordered renumber every row: a table copy',
    kinds: ['alter column type'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change, q } = ctx;
    if (change.kind !== 'alter column type') return [];
    if (dedicatedRule(ctx.change, ctx) !== 'mysql-enum-value-order') return [];
    const c = columnChange(ctx, change);
    if (!c || c.from.base !== c.to.base || (c.from.base !== 'enum' && c.from.base !== 'set')) return [];
    if (expectedOnline(ctx, change, ctx.statementChanges.indexOf(change))?.algorithm !== 'COPY') return [];
    const added = c.to.values.filter((v) => !c.from.values.includes(v));
    const kept = c.from.values.every((v) => c.to.values.includes(v));
    const appended = [...c.from.values, ...added];
    // Only the order is wrong when nothing was removed: the same list, new values last, is instant.
    const span = kept ? typeSpan(ctx.statement.sql, change.column) : null;
    const fixed =
      span && ctx.statementChanges.every((x) => !('column' in x) || x.column === change.column)
        ? withOnlineClause(
            `${ctx.statement.sql.slice(0, span.start)}${c.to.base}(${appended.map(q.literal).join(',')})${ctx.statement.sql.slice(span.end)}`,
            'ALGORITHM=INSTANT',
          )
        : null;
    const where =
      added.length > 0 && kept ? ` (${added.map((v) => `'${v}'`).join(', ')} not at the end)` : '';
    return [
      {
        message: `The new ${c.to.base.toUpperCase()} list of ${shown(change.table)}.${change.column} is not the old one with values appended${where}: every row is renumbered, which copies the table: ${copyCost(ctx, change.table)}.`,
        safeAlternative: fixed
          ? `-- append new values at the end (ORDER BY FIELD(…) sorts them in any order you need):\n${fixed}`
          : null,
      },
    ];
  },
});
