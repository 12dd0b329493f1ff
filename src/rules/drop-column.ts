import { defineRule, type RuleMeta } from '../core/rule.js';
import { generatedNames, MAX_IDENTIFIER_BYTES } from '../schema/names.js';
import { dumpCommand } from './mysql/sql.js';
import { mysqlDropColumn } from './mysql/generic.js';
import { ended } from './sql.js';
import { sqliteDropColumn } from './sqlite/generic.js';
import { droppedOnNewTable } from './new-table.js';

/** DROP COLUMN breaks every query of the running application version that still names it. */
const meta: RuleMeta = {
  id: 'drop-column',
  category: 'breaking',
  severity: 'error',
  description: 'DROP COLUMN breaks code that still reads or writes the column',
  kinds: ['drop column'],
  scalesWithSize: false,
  skipNewTables: true,
};

export default defineRule({
  meta,
  check(ctx) {
    const { change, q, viewsUsing, schemaKnown, table: tableOf, sql, dialect } = ctx;
    if (change.kind !== 'drop column') return [];
    if (dialect === 'sqlite') return sqliteDropColumn(ctx, change);
    if (droppedOnNewTable(meta, ctx)) return [];
    const mysql = dialect === 'mysql';
    const views = viewsUsing(change.table, change.column);
    // The copy pairs each value with its row's key, so it can be joined back: without the key
    // there is nothing to pair with, and the SQL is left out rather than guessed.
    // The copy is a table we name: within the identifier limit.
    const names = sql?.names ?? generatedNames(MAX_IDENTIFIER_BYTES);
    const archive = (table: string, column: string): string => {
      const key = tableOf(table)?.primaryKey?.columns;
      if (!key)
        return schemaKnown
          ? ` (${table} has no primary key to pair the values with: ${mysql ? dumpCommand(table) : `pg_dump --table ${table}`} keeps it all);`
          : ' (run with --db or --schema for the SQL: it needs the primary key);';
      const schema = table.slice(0, table.indexOf('.'));
      const archived = q.table(`${schema}.${names.object(table, [column], 'archive')}`);
      const columns = [...new Set([...key, column])].map(q.ident).join(', ');
      return `: CREATE TABLE ${archived} AS SELECT ${columns} FROM ${q.table(table)};`;
    };
    return [
      {
        message:
          `Dropping ${change.table}.${change.column} breaks every query that still uses it, and its data is gone (rollback cannot restore it).` +
          (views.length > 0 ? ` Views that read it: ${views.join(', ')}.` : ''),
        safeAlternative: [
          `-- 1. stop reading and writing ${change.column} in every service (e.g. Rails ignored_columns), deploy;`,
          `-- 2. optionally keep the data${archive(change.table, change.column)}`,
          `-- 3. then, in a later release:`,
          mysql
            ? mysqlDropColumn(ctx, change)
            : sql
              ? ended(sql.alterTable(q, change.table, `DROP COLUMN IF EXISTS ${q.ident(change.column)}`))
              : `-- drop ${change.column}.`,
        ].join('\n'),
      },
    ];
  },
});
