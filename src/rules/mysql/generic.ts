/**
 * The MySQL SQL of rules that hold for every dialect (drop-column, rename-table, …): what they
 * print as a safe alternative on MySQL, where RuleContext.sql is null. Checked on MariaDB by
 * test/rules/mysql/safe-run.test.ts.
 */
import type { ChangeOf } from '../../core/change.js';
import type { RuleContext } from '../../core/rule.js';
import { expectedOnline } from './online.js';
import { alterTable, type OnlineClause } from './sql.js';

/** The online clause the current Change can be pinned to; none when it blocks writes anyway. */
export function onlineClauseNow(ctx: RuleContext): OnlineClause | undefined {
  const e = expectedOnline(ctx, ctx.change, ctx.statementChanges.indexOf(ctx.change));
  if (!e || e.blocksWrites) return undefined;
  return e.algorithm === 'INSTANT' ? 'ALGORITHM=INSTANT' : 'ALGORITHM=INPLACE, LOCK=NONE';
}

/** DROP COLUMN as the contract step (MySQL has no DROP COLUMN IF EXISTS; MariaDB does). */
export function mysqlDropColumn(ctx: RuleContext, change: ChangeOf<'drop column'>): string {
  return alterTable(ctx.q, change.table, [`DROP COLUMN ${ctx.q.ident(change.column)}`], onlineClauseNow(ctx));
}

/**
 * RENAME TABLE with a view under the old name: a view over one table with every column is
 * updatable and insertable in MySQL, so old code keeps reading and writing through it. DDL is
 * not transactional there: queries that arrive between the two statements fail.
 * https://dev.mysql.com/doc/refman/8.0/en/view-updatability.html
 */
export function mysqlRenameTable(ctx: RuleContext, change: ChangeOf<'rename table'>): string {
  const { q } = ctx;
  return [
    '-- one right after the other (MySQL cannot do both atomically: a query arriving in between fails):',
    `RENAME TABLE ${q.table(change.table)} TO ${q.table(change.newName)};`,
    `CREATE VIEW ${q.table(change.table)} AS SELECT * FROM ${q.table(change.newName)};`,
    '-- the view takes reads and writes for old code (columns added later do not appear in it);',
    `-- deploy code that uses ${change.newName.slice(change.newName.indexOf('.') + 1)}, then, in a later release:`,
    `-- DROP VIEW ${q.table(change.table)};`,
  ].join('\n');
}
