import { defineRule } from '../../core/rule.js';
import { withoutOnlineOptions } from './sql.js';
import { shown } from './words.js';

/**
 * MODIFY and CHANGE restate the whole column: what the new definition leaves out is gone. A
 * column that had a DEFAULT loses it when the MODIFY does not repeat it, and INSERTs of the
 * running code that leave the column out then fail under a strict sql_mode (error 1364 "Field
 * doesn't have a default value") or get the type's zero value without it.
 * https://dev.mysql.com/doc/refman/8.0/en/alter-table.html#alter-table-redefine-column
 */
export default defineRule({
  meta: {
    id: 'mysql-modify-drops-default',
    category: 'breaking',
    severity: 'warning',
    description: 'MODIFY/CHANGE without DEFAULT removes the column default that INSERTs rely on',
    kinds: ['drop default'],
    scalesWithSize: false,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change } = ctx;
    if (change.kind !== 'drop default') return [];
    // Only a restated column (a type next to it); ALTER COLUMN … DROP DEFAULT is meant.
    const restated = ctx.statementChanges.some(
      (c) => c.kind === 'alter column type' && c.column === change.column,
    );
    if (!restated) return [];
    const column = ctx.table(change.table)?.columns.find((c) => c.name === change.column);
    if (!column?.default || column.identity || /^null$/i.test(column.default)) return [];
    const dflt = defaultSql(column.default, ctx.q.literal);
    // One column restated, nothing after it: the DEFAULT goes at the end of the statement.
    const single = ctx.statementChanges.every((c) => !('column' in c) || c.column === change.column);
    const bare = withoutOnlineOptions(ctx.statement.sql);
    const tail = ctx.statement.sql.slice(bare.length);
    return [
      {
        message: `MODIFY restates the whole column: ${shown(change.table)}.${change.column} loses its DEFAULT ${dflt}, so INSERTs that leave it out fail under a strict sql_mode (error 1364) or get the type's zero value. Repeat DEFAULT ${dflt} in the new definition if it should stay.`,
        safeAlternative:
          single && !/\b(FIRST|AFTER\s+\S+)\s*$/i.test(bare) ? `${bare} DEFAULT ${dflt}${tail};` : null,
      },
    ];
  },
});

/** A catalog default as SQL: MariaDB quotes strings already; MySQL prints them bare. */
function defaultSql(value: string, literal: (v: string) => string): string {
  if (/^'.*'$/s.test(value) || /^-?\d+(\.\d+)?$/.test(value) || /^\w+\(.*\)$/.test(value)) return value;
  if (/^(current_timestamp|now|localtime|localtimestamp)(\(\d*\))?$/i.test(value)) return value;
  return literal(value);
}
