import { defineRule } from '../core/rule.js';
import { mysqlRenameTable } from './mysql/generic.js';
import { ended } from './sql.js';
import { sqliteRenameTable } from './sqlite/generic.js';
import { shown as sqliteShown } from './sqlite/words.js';

/**
 * RENAME TABLE is instant, but every query of the running application version, and of other
 * services, still names the old table and fails from that moment. A plain view with the old
 * name (SELECT * FROM the new table) is automatically updatable: old code keeps reading and
 * writing through it, defaults and ON CONFLICT included, until it is redeployed.
 * https://www.postgresql.org/docs/current/sql-createview.html#SQL-CREATEVIEW-UPDATABLE-VIEWS
 */
export default defineRule({
  meta: {
    id: 'rename-table',
    category: 'breaking',
    severity: 'error',
    description: 'RENAME TABLE breaks code that still uses the old name (unless a view keeps it)',
    kinds: ['rename table'],
    scalesWithSize: false,
    skipNewTables: true,
  },
  check(ctx) {
    const { change, q, laterOfKind, sql } = ctx;
    if (change.kind !== 'rename table') return [];
    const { table, newName } = change;
    const renamed = `${table.slice(0, table.indexOf('.'))}.${newName}`;
    // A view created later in the migration under the old name keeps old code working.
    if (laterOfKind('create view').some((c) => !c.materialized && c.view === table)) return [];
    if (ctx.dialect === 'sqlite') {
      // Renamed away and created again under its name: a rebuild (sqlite-table-rebuild judges it).
      if (ctx.anyLater((c) => c.kind === 'create table' && c.table === table)) return [];
      return [sqliteRenameTable(ctx, change, renamedMessage(sqliteShown(table), newName))];
    }
    // MySQL's RENAME TABLE names the new table in full (it may move it to another database).
    if (ctx.dialect === 'mysql') {
      const shownName = (n: string) => n.replace(/^default\./, '');
      const moved = newName.slice(0, newName.indexOf('.')) !== table.slice(0, table.indexOf('.'));
      return [
        {
          message:
            renamedMessage(shownName(table), shownName(newName)) +
            (moved
              ? ' It also moves the table to another database: its triggers must move with it (MySQL refuses otherwise) and grants on the old database no longer apply.'
              : ''),
          safeAlternative: moved ? null : mysqlRenameTable(ctx, change),
        },
      ];
    }
    // Without the dialect's safe SQL the finding stands without the view recipe.
    if (!sql) return [{ message: renamedMessage(table, newName), safeAlternative: null }];
    return [
      {
        message: renamedMessage(table, newName),
        safeAlternative: [
          "-- in one transaction (the runner's, or BEGIN … COMMIT), so no query finds the name missing:",
          ended(sql.alterTable(q, table, `RENAME TO ${q.ident(newName)}`)),
          `CREATE VIEW ${q.table(table)} AS SELECT * FROM ${q.table(renamed)};`,
          '-- the view takes reads and writes for old code (columns added later do not appear in it);',
          `-- deploy code that uses ${newName}, then, in a later release:`,
          `-- DROP VIEW ${q.table(table)};`,
        ].join('\n'),
      },
    ];
  },
});

function renamedMessage(table: string, newName: string): string {
  return `Renaming ${table} to ${newName} breaks every query that still uses ${table}: the running application version and other services fail until they are all redeployed.`;
}
