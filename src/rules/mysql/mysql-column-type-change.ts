import { defineRule } from '../../core/rule.js';
import { columnChange } from './column-change.js';
import { expectedOnline } from './online.js';
import { alterClauses, onlineSchemaChange } from './sql.js';
import { maxBytesPerChar, sameType } from './types.js';
import { copyCost, shown } from './words.js';
import { dedicatedRule } from './owners.js';

/**
 * Changing a column's type (MODIFY/CHANGE to another type) copies the table on InnoDB: only a
 * longer VARCHAR that keeps its length prefix (up to 255 bytes, or from 256 up) is done in
 * place. ENUM/SET lists and charsets have rules of their own.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-column-operations
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/#changing-the-data-type-of-a-column
 */
export default defineRule({
  meta: {
    id: 'mysql-column-type-change',
    category: 'locking',
    severity: 'error',
    description: 'MODIFY/CHANGE to another column type copies the whole table while writes wait',
    kinds: ['alter column type'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change } = ctx;
    if (change.kind !== 'alter column type') return [];
    if (dedicatedRule(ctx.change, ctx) !== 'mysql-column-type-change') return [];
    const c = columnChange(ctx, change);
    if (!c || sameType(c.from, c.to)) return [];
    if (c.from.base === c.to.base && (c.from.base === 'enum' || c.from.base === 'set')) return [];
    const index = ctx.statementChanges.indexOf(change);
    if (expectedOnline(ctx, change, index)?.algorithm !== 'COPY') return [];
    const col = `${shown(change.table)}.${change.column}`;
    const boundary =
      c.from.base === 'varchar' && c.to.base === 'varchar' && (c.to.args[0] ?? 0) > (c.from.args[0] ?? 0)
        ? ` A VARCHAR of up to 255 bytes has a 1-byte length prefix and a longer one 2 bytes (${c.current.charset ?? 'its charset'} takes up to ${maxBytesPerChar(c.current.charset)} bytes a character): crossing that line changes every row.`
        : '';
    const clauses = alterClauses(ctx.statement.sql);
    return [
      {
        message: `Changing ${col} from ${c.current.type} to ${change.type.sql} copies the table: ${copyCost(ctx, change.table)}.${boundary}`,
        safeAlternative: clauses
          ? [
              ...onlineSchemaChange(change.table, clauses),
              '-- or, when code must move to the new type too: add a column of the new type, keep it in step with triggers, backfill in batches, switch readers, drop the old one.',
            ].join('\n')
          : null,
      },
    ];
  },
});
