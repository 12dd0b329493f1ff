/**
 * add-required-column on MySQL: ADD COLUMN … NOT NULL without a DEFAULT succeeds on a table with
 * rows (each gets the type's implicit default: 0, '', the zero date), so the data changes
 * silently; then every INSERT of the running code, which leaves the column out, fails under a
 * strict sql_mode (error 1364 "Field doesn't have a default value").
 * https://dev.mysql.com/doc/refman/8.0/en/data-type-defaults.html#data-type-defaults-implicit
 */
import type { ChangeOf } from '../../core/change.js';
import type { FindingDraft, RuleContext } from '../../core/rule.js';
import { addColumnClause } from './expand.js';
import { alterTable } from './sql.js';
import { shown } from './words.js';

export function mysqlRequiredColumn(ctx: RuleContext, change: ChangeOf<'add column'>): FindingDraft[] {
  const { column, table } = change;
  if (!column.notNull || column.default || column.identity || column.generated) return [];
  const { q } = ctx;
  const name = `${shown(table)}.${column.name}`;
  if (ctx.isNew(table))
    return [
      {
        message: `${name} is NOT NULL without a default: the rows this migration put in ${shown(table)} get the type's zero value (0, '', the zero date), and inserts that leave the column out fail under a strict sql_mode.`,
        safeAlternative: null,
      },
    ];
  const type = `${column.type.sql}${column.collation ? ` COLLATE ${column.collation}` : ''}`;
  return [
    {
      message: `${name} is NOT NULL without a default: the ALTER gives every existing row the type's zero value (0, '', the zero date) without a word, and afterwards every INSERT of the running code, which does not set ${column.name}, fails under a strict sql_mode (error 1364).`,
      safeAlternative: [
        alterTable(
          q,
          table,
          [`ADD COLUMN ${q.ident(column.name)} ${type} NULL`],
          addColumnClause(ctx, change),
        ),
        `-- deploy code that writes ${column.name}; fill it in the rows that have none (with the value they should have, in batches);`,
        '-- then, in a later migration (a rebuild in place; writes go on):',
        `-- ${alterTable(q, table, [`MODIFY ${q.ident(column.name)} ${type} NOT NULL`], 'ALGORITHM=INPLACE, LOCK=NONE')}`,
      ].join('\n'),
    },
  ];
}
