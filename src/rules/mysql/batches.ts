/**
 * The user's UPDATE or DELETE without WHERE, in batches, in MySQL: a single-table DELETE takes
 * LIMIT (run it again until it deletes 0 rows); an UPDATE of every row is batched by ranges of
 * an integer primary key (an updated row still matches, so LIMIT alone would never end).
 * Statements with ORDER BY, LIMIT or a join are left as they are.
 * https://dev.mysql.com/doc/refman/8.0/en/delete.html
 */
import type { ChangeOf } from '../../core/change.js';
import type { RuleContext } from '../../core/rule.js';
import { BATCH_ROWS } from './expand.js';

const NAME = String.raw`(?:\`(?:[^\`]|\`\`)+\`|[\w$]+)(?:\s*\.\s*(?:\`(?:[^\`]|\`\`)+\`|[\w$]+))?`;

export function mysqlBatchedDml(ctx: RuleContext, change: ChangeOf<'dml'>): string[] | null {
  const sql = ctx.statement.sql.trim();
  if (/\b(ORDER\s+BY|LIMIT|JOIN)\b/i.test(sql.replace(/'(?:[^'\\]|''|\\.)*'/g, "''"))) return null;
  if (change.operation === 'delete') {
    if (
      !new RegExp(`^DELETE\\s+(?:LOW_PRIORITY\\s+|QUICK\\s+|IGNORE\\s+)*FROM\\s+${NAME}\\s*$`, 'i').test(sql)
    )
      return null;
    return ['-- run it again until it deletes 0 rows:', `${sql} LIMIT ${BATCH_ROWS};`];
  }
  if (!new RegExp(`^UPDATE\\s+(?:LOW_PRIORITY\\s+|IGNORE\\s+)*${NAME}\\s+SET\\s`, 'i').test(sql)) return null;
  const info = ctx.table(change.table);
  const key = info?.primaryKey?.columns;
  const keyColumn = key?.length === 1 ? info?.columns.find((c) => c.name === key[0]) : undefined;
  if (!keyColumn || !/int\b|int\(/i.test(keyColumn.type)) return null;
  const k = ctx.q.ident(keyColumn.name);
  return [
    `-- by ranges of ${keyColumn.name}, ${BATCH_ROWS} at a time, up to SELECT MAX(${k}) FROM ${ctx.q.table(change.table)}:`,
    `${sql} WHERE ${k} BETWEEN 1 AND ${BATCH_ROWS};`,
    `-- then ${BATCH_ROWS + 1} to ${2 * BATCH_ROWS}, and so on (start at SELECT MIN(${k}) when keys do not start near 1).`,
  ];
}
