import { defineRule } from '../core/rule.js';
import { alterTable } from './sql.js';

/** DROP COLUMN breaks every query of the running application version that still names it. */
export default defineRule({
  meta: {
    id: 'drop-column',
    category: 'breaking',
    severity: 'error',
    description: 'DROP COLUMN breaks code that still reads or writes the column',
    kinds: ['drop column'],
    scalesWithSize: false,
    skipNewTables: true,
  },
  check({ change, q, viewsUsing }) {
    if (change.kind !== 'drop column') return [];
    const views = viewsUsing(change.table, change.column);
    return [
      {
        message:
          `Dropping ${change.table}.${change.column} breaks every query that still uses it, and its data is gone (rollback cannot restore it).` +
          (views.length > 0 ? ` Views that read it: ${views.join(', ')}.` : ''),
        safeAlternative: [
          `-- 1. stop reading and writing ${change.column} in every service (e.g. Rails ignored_columns), deploy;`,
          `-- 2. optionally keep the data: CREATE TABLE ${q.table(change.table + '_' + change.column + '_archive')} AS SELECT <primary key>, ${q.ident(change.column)} FROM ${q.table(change.table)};`,
          `-- 3. then, in a later release:`,
          alterTable(q, change.table, `DROP COLUMN IF EXISTS ${q.ident(change.column)}`),
        ].join('\n'),
      },
    ];
  },
});
