import { defineRule, type RuleMeta } from '../core/rule.js';
import { batchedDml } from './dml.js';
import { mysqlRenameColumn } from './mysql/rename-column.js';
import { shown } from './mysql/words.js';
import { sqliteRenameColumn } from './sqlite/generic.js';
import { refusedOnSqlite } from './sqlite/refusals.js';
import { shown as sqliteShown } from './sqlite/words.js';
import { ended, lines, missingFact, dropSyncTriggerScript, syncTriggerScript } from './sql.js';
import { droppedOnNewTable } from './new-table.js';

/**
 * RENAME COLUMN is instant, but the application version still running (and every other
 * service, report and ETL job) keeps using the old name and fails from that moment: deploys are
 * never atomic with migrations. Expand/contract keeps both names working during the switch.
 * https://www.postgresql.org/docs/current/sql-altertable.html
 */
const meta: RuleMeta = {
  id: 'rename-column',
  category: 'breaking',
  severity: 'error',
  description: 'RENAME COLUMN breaks code that still uses the old name',
  kinds: ['rename column'],
  scalesWithSize: false,
  skipNewTables: true,
};

export default defineRule({
  meta,
  check(ctx) {
    const { change, q, major, schemaKnown, table: tableOf, sql } = ctx;
    if (change.kind !== 'rename column') return [];
    const { table, column, newName } = change;
    const shownTable =
      ctx.dialect === 'mysql' ? shown(table) : ctx.dialect === 'sqlite' ? sqliteShown(table) : table;
    const message = `Renaming ${shownTable}.${column} to ${newName} breaks every query that still uses ${column}: the running application version, other services and reports fail until they are all redeployed.`;
    // MySQL: triggers in its own syntax (the dialect has no safe-SQL building blocks yet).
    if (ctx.dialect === 'mysql') return [mysqlRenameColumn(ctx, change, message)];
    // SQLite: triggers in its syntax; nothing when SQLite refuses the rename (before 3.25.0).
    if (ctx.dialect === 'sqlite')
      return refusedOnSqlite(ctx.dialect, ctx.facts) ? [] : [sqliteRenameColumn(ctx, change, message)];
    // Without the dialect's safe SQL the finding stands without a recipe.
    if (!sql) return [{ message, safeAlternative: null }];
    if (droppedOnNewTable(meta, ctx)) return [];
    const info = tableOf(table);
    const current = info?.columns.find((c) => c.name === column);
    // The new column is declared with the old one's type: without it, no line of the recipe runs.
    if (!info || !current)
      return [
        {
          message: `${message} ${missingFact(schemaKnown, `the type of ${table}.${column}`)}`,
          safeAlternative: null,
        },
      ];
    const [oldCol, newCol] = [q.ident(column), q.ident(newName)];
    // A copied row stops matching, so the loop ends whatever the table's key.
    const backfill = batchedDml(
      sql,
      q,
      `UPDATE ${q.table(table)} SET ${newCol} = ${oldCol} WHERE ${newCol} IS DISTINCT FROM ${oldCol}`,
      table,
      info,
      major,
      { stopsMatching: true },
    );
    // The old column's indexes and foreign keys go with it in the contract step.
    const dependents = [
      ...info.indexes.filter((i) => i.columns.includes(column) || i.include.includes(column)),
      ...info.foreignKeys.filter((fk) => fk.columns.includes(column)),
    ].map((d) => d.name);
    return [
      {
        message,
        safeAlternative: lines(
          ended(sql.alterTable(q, table, `ADD COLUMN ${newCol} ${current.type}`)),
          `-- both columns stay in step while old code uses ${column} and new code uses ${newName}:`,
          syncTriggerScript(
            sql,
            q,
            table,
            newName,
            [
              "IF TG_OP = 'INSERT' THEN",
              `  NEW.${newCol} := COALESCE(NEW.${newCol}, NEW.${oldCol});`,
              `  NEW.${oldCol} := COALESCE(NEW.${oldCol}, NEW.${newCol});`,
              `ELSIF NEW.${oldCol} IS DISTINCT FROM OLD.${oldCol} THEN`,
              `  NEW.${newCol} := NEW.${oldCol};`,
              `ELSIF NEW.${newCol} IS DISTINCT FROM OLD.${newCol} THEN`,
              `  NEW.${oldCol} := NEW.${newCol};`,
              'END IF;',
            ],
            major,
          ).create,
          '-- copy existing rows, in batches:',
          backfill ?? [],
          current.nullable ? [] : sql.notNullScript(q, table, newName, major),
          dependents.length > 0
            ? [
                `-- give ${newName} its own copy of ${dependents.join(', ')} (they go when ${column} is dropped);`,
              ]
            : [],
          `-- deploy code that uses ${newName}; then, in a later release, once nothing uses the old name:`,
          [
            ...dropSyncTriggerScript(sql, q, table, newName),
            ended(sql.alterTable(q, table, `DROP COLUMN ${oldCol}`)),
            // Set only now: with a default on both columns, the insert trigger could not tell
            // which one old code wrote.
            ...(current.default
              ? [ended(sql.alterTable(q, table, `ALTER COLUMN ${newCol} SET DEFAULT ${current.default}`))]
              : []),
          ].map((l) => `-- ${l}`),
        ),
      },
    ];
  },
});
