import { defineRule, type RuleMeta } from '../core/rule.js';
import { batchedDml } from './dml.js';
import { mysqlBatchedDml } from './mysql/batches.js';
import { shown } from './mysql/words.js';
import { sqliteBatchedDml } from './sqlite/generic.js';
import { shown as sqliteShown, WRITE_LOCK_WORDS } from './sqlite/words.js';
import { missingFact } from './sql.js';
import { droppedOnNewTable } from './new-table.js';

/**
 * UPDATE or DELETE without WHERE changes every row of the table. In a migration that is
 * sometimes meant, often a WHERE lost in editing, and always one long transaction holding every
 * row lock. Naming the intent (a predicate, or batches over the whole table) makes it reviewable.
 * https://www.postgresql.org/docs/current/sql-update.html
 */
const meta: RuleMeta = {
  id: 'dml-without-where',
  category: 'transactions',
  severity: 'warning',
  description: 'UPDATE or DELETE without WHERE changes every row of an existing table',
  kinds: ['dml'],
  scalesWithSize: false,
  skipNewTables: true,
};

export default defineRule({
  meta,
  check(ctx) {
    const { change, statement, q, major, schemaKnown, table: tableOf, sql } = ctx;
    if (change.kind !== 'dml' || change.hasWhere) return [];
    if (change.operation !== 'update' && change.operation !== 'delete') return [];
    const verb = change.operation.toUpperCase();
    if (ctx.dialect === 'mysql') {
      // DELETE … LIMIT n is a batch by intent: it does not touch every row.
      if (/\bLIMIT\s+\d+\s*$/i.test(statement.sql)) return [];
      const batched = mysqlBatchedDml(ctx, change);
      return [
        {
          message: `${verb} without WHERE ${change.operation === 'delete' ? 'deletes' : 'changes'} every row of ${shown(change.table)} in one transaction (row locks on all of it, and one huge binlog event for replicas): check that this is meant, and run it in batches.`,
          safeAlternative: batched
            ? [
                '-- if every row is meant, in batches (or add the WHERE that was intended):',
                ...batched,
                ...(change.operation === 'delete'
                  ? [
                      `-- to empty the table at once instead: TRUNCATE TABLE ${q.table(change.table)} (DDL: it cannot be rolled back)`,
                    ]
                  : []),
              ].join('\n')
            : null,
        },
      ];
    }
    if (ctx.dialect === 'sqlite') {
      const batched = sqliteBatchedDml(ctx, change);
      return [
        {
          message: `${verb} without WHERE ${change.operation === 'delete' ? 'deletes' : 'changes'} every row of ${sqliteShown(change.table)} in one statement that holds the database write lock until it ends; ${WRITE_LOCK_WORDS}. Check that this is meant, and run it in batches.`,
          safeAlternative: batched
            ? ['-- if every row is meant, in batches (or add the WHERE that was intended):', ...batched].join(
                '\n',
              )
            : null,
        },
      ];
    }
    if (droppedOnNewTable(meta, ctx)) return [];
    const info = tableOf(change.table);
    // Without the dialect's safe SQL there is no batched form to offer.
    const batched = sql ? batchedDml(sql, q, statement.sql, change.table, info, major) : null;
    return [
      {
        message:
          `${verb} without WHERE ${change.operation === 'delete' ? 'deletes' : 'changes'} every row of ${change.table}: check that this is meant, and run it in batches.` +
          // An UPDATE of every row can only be batched by key ranges, which needs the key.
          (!batched && !info && sql
            ? ` ${missingFact(schemaKnown, `the primary key of ${change.table} to batch it`)}`
            : ''),
        safeAlternative: batched
          ? [
              `-- if every row is meant, in batches (or add the WHERE that was intended):`,
              ...batched,
              ...(change.operation === 'delete'
                ? [
                    `-- to empty the table at once instead: TRUNCATE ${q.table(change.table)} (ACCESS EXCLUSIVE, but instant)`,
                  ]
                : []),
            ].join('\n')
          : null,
      },
    ];
  },
});
