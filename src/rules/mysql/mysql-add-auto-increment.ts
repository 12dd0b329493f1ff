import { defineRule } from '../../core/rule.js';
import { alterClauses, onlineSchemaChange } from './sql.js';
import { copyCost, shown, sized } from './words.js';
import { dedicatedRule } from './owners.js';

/**
 * Adding an AUTO_INCREMENT column numbers every existing row: InnoDB rebuilds the table with
 * writes blocked (LOCK=SHARED is the least it takes). Making an existing column AUTO_INCREMENT
 * (MODIFY … AUTO_INCREMENT) is a type change: a table copy.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-column-operations
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/#adding-a-column
 */
export default defineRule({
  meta: {
    id: 'mysql-add-auto-increment',
    category: 'locking',
    severity: 'error',
    description: 'Adding AUTO_INCREMENT to an existing table rebuilds it while writes wait',
    kinds: ['add column', 'add identity'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change } = ctx;
    if (dedicatedRule(ctx.change, ctx) !== 'mysql-add-auto-increment') return [];
    let message: string;
    if (change.kind === 'add column' && change.column.identity)
      message = `Adding the AUTO_INCREMENT column ${change.column.name} numbers every row of ${sized(ctx, change.table)}: the table is rebuilt with writes blocked (LOCK=SHARED at best) until it is done.`;
    else if (change.kind === 'add identity') {
      const column = ctx.table(change.table)?.columns.find((c) => c.name === change.column);
      // MODIFY restating a column that is AUTO_INCREMENT already changes nothing.
      if (column?.identity) return [];
      message = `Making ${shown(change.table)}.${change.column} AUTO_INCREMENT changes its definition, which copies the table: ${copyCost(ctx, change.table)}.`;
    } else return [];
    const clauses = alterClauses(ctx.statement.sql);
    return [
      {
        message,
        safeAlternative: clauses ? onlineSchemaChange(change.table, clauses).join('\n') : null,
      },
    ];
  },
});
