/**
 * Safe alternatives that split one copying ALTER into online steps (expand, backfill in
 * batches, then the constraint), in MySQL syntax, checked on MariaDB by
 * test/rules/mysql/safe-run.test.ts.
 */
import type { ChangeOf } from '../../core/change.js';
import type { RuleContext } from '../../core/rule.js';
import { isMariadbKey } from './online.js';
import { type OnlineClause } from './sql.js';

/** Rows per batch in the backfills we print: small enough to keep each transaction short. */
export const BATCH_ROWS = 10000;

/** The clause for a plain ADD COLUMN on this server (INSTANT where the manual says it is). */
export function addColumnClause(ctx: RuleContext, change: ChangeOf<'add column'>): OnlineClause {
  const v = ctx.major;
  const last = change.position === undefined;
  const instant = isMariadbKey(v) ? v >= 100400 || (v >= 100302 && last) : v >= 80029 || (v >= 80012 && last);
  return instant ? 'ALGORITHM=INSTANT' : 'ALGORITHM=INPLACE, LOCK=NONE';
}

/**
 * ADD COLUMN with a default computed per row (uuid(), now(6), an expression): the column added
 * without it (instant), the default set on its own (metadata only: later rows get it), the
 * existing rows filled in batches, and NOT NULL last when the column was declared so.
 */
export function expandExpressionDefault(ctx: RuleContext, change: ChangeOf<'add column'>): string[] {
  const { q } = ctx;
  const c = change.column;
  const table = q.table(change.table);
  const col = q.ident(c.name);
  const def = c.default?.sql ?? 'NULL';
  const expr = def.startsWith('(') ? def : `(${def})`;
  const position =
    change.position === undefined
      ? ''
      : 'first' in change.position
        ? ' FIRST'
        : ` AFTER ${q.ident(change.position.after)}`;
  const collate = c.collation ? ` COLLATE ${c.collation}` : '';
  return [
    `ALTER TABLE ${table} ADD COLUMN ${col} ${c.type.sql}${collate} NULL${position}, ${addColumnClause(ctx, change)};`,
    `ALTER TABLE ${table} ALTER COLUMN ${col} SET DEFAULT ${expr}, ALGORITHM=INSTANT;`,
    `-- fill the existing rows; run it again until it changes 0 rows:`,
    `UPDATE ${table} SET ${col} = ${expr} WHERE ${col} IS NULL LIMIT ${BATCH_ROWS};`,
    ...(c.notNull
      ? [
          '-- then (a rebuild in place; writes go on):',
          `ALTER TABLE ${table} MODIFY ${col} ${c.type.sql}${collate} NOT NULL DEFAULT ${expr}, ALGORITHM=INPLACE, LOCK=NONE;`,
        ]
      : []),
  ];
}
