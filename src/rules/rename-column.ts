import { defineRule } from '../core/rule.js';
import { batchedDml } from './batches.js';
import { alterTable, lines } from './sql.js';
import { dropSyncTrigger, syncTrigger } from './triggers.js';

/**
 * RENAME COLUMN is instant, but the application version still running (and every other
 * service, report and ETL job) keeps using the old name and fails from that moment: deploys are
 * never atomic with migrations. Expand/contract keeps both names working during the switch.
 * https://www.postgresql.org/docs/current/sql-altertable.html
 */
export default defineRule({
  meta: {
    id: 'rename-column',
    category: 'breaking',
    severity: 'error',
    description: 'RENAME COLUMN breaks code that still uses the old name',
    kinds: ['rename column'],
    scalesWithSize: false,
    skipNewTables: true,
  },
  check({ change, q, major, table: tableOf }) {
    if (change.kind !== 'rename column') return [];
    const { table, column, newName } = change;
    const info = tableOf(table);
    const type = info?.columns.find((c) => c.name === column)?.type;
    const [oldCol, newCol] = [q.ident(column), q.ident(newName)];
    const add = alterTable(q, table, `ADD COLUMN ${newCol} ${type ?? '<type of the old column>'}`);
    const backfill = batchedDml(
      q,
      `UPDATE ${q.table(table)} SET ${newCol} = ${oldCol} WHERE ${newCol} IS DISTINCT FROM ${oldCol}`,
      table,
      info,
      major,
    );
    return [
      {
        message: `Renaming ${table}.${column} to ${newName} breaks every query that still uses ${column}: the running application version, other services and reports fail until they are all redeployed.`,
        safeAlternative: lines(
          type ? add : `-- ${add}`,
          `-- both columns stay in step while old code uses ${column} and new code uses ${newName}:`,
          syncTrigger(
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
          ),
          '-- copy existing rows, in batches:',
          backfill ?? [],
          `-- copy ${column}'s NOT NULL, default, indexes and constraints to ${newName}; deploy code that uses ${newName};`,
          '-- then, in a later release, once nothing uses the old name:',
          [...dropSyncTrigger(q, table, newName), alterTable(q, table, `DROP COLUMN ${oldCol}`)].map(
            (l) => `-- ${l}`,
          ),
        ),
      },
    ];
  },
});
