import { defineRule } from '../../core/rule.js';
import { BATCH_ROWS } from './expand.js';
import { withOnlineClause } from './sql.js';
import { shown } from './words.js';

/**
 * MODIFY … NOT NULL on a column that allows NULL today: under a strict sql_mode (the default) the
 * ALTER fails on the first NULL (error 1265 "Data truncated", or 1138) after rebuilding up to it;
 * without strict mode it turns every NULL into the type's implicit default ('' , 0, the zero
 * date) without a word. Writers of the running version that still send NULL fail afterwards.
 * https://dev.mysql.com/doc/refman/8.0/en/data-type-defaults.html#data-type-defaults-implicit
 */
export default defineRule({
  meta: {
    id: 'mysql-not-null-with-nulls',
    category: 'breaking',
    severity: 'error',
    description:
      'MODIFY … NOT NULL fails on existing NULLs (strict mode) or silently replaces them with 0/empty',
    kinds: ['set not null'],
    scalesWithSize: false,
    skipNewTables: true,
    aboutExistingRows: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change, q } = ctx;
    if (change.kind !== 'set not null') return [];
    const column = ctx.table(change.table)?.columns.find((c) => c.name === change.column);
    // Restating a column that is NOT NULL already changes nothing; without the schema we cannot tell.
    if (!column?.nullable) return [];
    const col = q.ident(change.column);
    return [
      {
        message: `${shown(change.table)}.${change.column} allows NULL today: with a strict sql_mode this ALTER fails on the first NULL it meets, after rebuilding the table up to there; without one it silently turns every NULL into ${column.type.startsWith('varchar') || column.type.startsWith('char') || column.type.includes('text') ? "''" : 'the type’s zero value'}. Code still writing NULL fails afterwards.`,
        safeAlternative: [
          '-- 1. this must return 0; give the NULL rows their value first, in batches, and make every writer set it:',
          `SELECT count(*) FROM ${q.table(change.table)} WHERE ${col} IS NULL;`,
          `-- e.g. UPDATE ${q.table(change.table)} SET ${col} = … WHERE ${col} IS NULL LIMIT ${BATCH_ROWS}; (until it changes 0 rows)`,
          '-- 2. then (a rebuild in place; writes go on):',
          withOnlineClause(ctx.statement.sql, 'ALGORITHM=INPLACE, LOCK=NONE'),
        ].join('\n'),
      },
    ];
  },
});
