import { defineRule } from '../core/rule.js';

/**
 * Views store references to the columns they read. PostgreSQL refuses to drop such a column
 * (unless CASCADE, which silently drops the views) and refuses to change its type at all, so
 * the migration fails at deploy time, or takes the views, and whatever reads them, down.
 * https://www.postgresql.org/docs/current/ddl-depend.html
 */
export default defineRule({
  meta: {
    id: 'view-dependency',
    category: 'breaking',
    severity: 'error',
    description: 'DROP COLUMN or ALTER COLUMN TYPE on a column that views read fails, or drops the views',
    kinds: ['drop column', 'alter column type'],
    scalesWithSize: false,
    skipNewTables: true,
  },
  check({ change, viewsUsing, dialect }) {
    if (change.kind !== 'drop column' && change.kind !== 'alter column type') return [];
    const { table, column } = change;
    const views = viewsUsing(table, column);
    if (views.length === 0) return [];
    const list = views.join(', ');
    // SQLite refuses the DROP COLUMN (sqlite-drop-column-refused) and has no type changes.
    if (dialect === 'sqlite') return [];
    // MySQL keeps no dependencies: it drops the column anyway, and a view then fails on every
    // query (error 1356, "references invalid table(s) or column(s)"); a type change is fine there.
    // https://dev.mysql.com/doc/refman/8.0/en/view-restrictions.html
    if (dialect === 'mysql') {
      if (change.kind !== 'drop column') return [];
      return [
        {
          message: `MySQL drops ${table}.${column} even though views read it (${list}): from then on every query on them fails (error 1356). Recreate them without ${column} in the same migration (SHOW CREATE VIEW prints their definition).`,
          safeAlternative: null,
        },
      ];
    }
    const dropping = change.kind === 'drop column';
    const message = dropping
      ? change.cascade
        ? `DROP COLUMN … CASCADE also drops the views that read ${table}.${column}: ${list}; whatever queries them breaks.`
        : `PostgreSQL refuses to drop ${table}.${column} while views read it (${list}): the migration fails; with CASCADE it would drop the views.`
      : `PostgreSQL refuses to change the type of ${table}.${column} while views read it (${list}): the migration fails.`;
    // Recreating a view needs its definition (edited, when the column goes) and its grants,
    // which the analysis does not have: the steps are said in words, nothing half-written.
    const steps = ` In one transaction: drop the views, ${dropping ? 'drop the column' : 'change the column'}, create them again${dropping ? ` without ${column}` : ''} and grant their privileges again (SELECT pg_get_viewdef('${views[0] ?? ''}'::regclass, true) prints a view's definition).`;
    return [{ message: `${message}${steps}`, safeAlternative: null }];
  },
});
