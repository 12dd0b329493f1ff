import { defineRule } from '../core/rule.js';
import { batchedDml } from './dml.js';
import { columnDefinition, ended, lines } from './sql.js';

/**
 * ADD COLUMN whose default must be computed per row (volatile function, or any default before
 * PostgreSQL 11, serial, stored generated): the table is rewritten under ACCESS EXCLUSIVE.
 */
export default defineRule({
  meta: {
    id: 'add-column-volatile-default',
    category: 'locking',
    severity: 'error',
    description: 'ADD COLUMN with a default that rewrites the whole table under ACCESS EXCLUSIVE',
    kinds: ['add column'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, facts, q, major, table: tableOf, sql }) {
    if (!sql) return [];
    if (change.kind !== 'add column' || !facts.rewritesTable) return [];
    const { column, table } = change;
    if (column.generated || column.type.serial || column.identity) return []; // own rules
    const value = column.default?.sql ?? 'NULL';
    const why =
      major < 11
        ? `a default (${value}) on PostgreSQL ${major}, where any default`
        : `the volatile default ${value}, which`;
    return [
      {
        message: `Adding ${column.name} with ${why} rewrites ${table} while it holds ACCESS EXCLUSIVE: reads and writes wait until every row is written.`,
        safeAlternative: lines(
          ended(
            sql.alterTable(
              q,
              table,
              `ADD COLUMN ${columnDefinition(q, column, { default: false, notNull: false })}`,
            ),
          ),
          ended(sql.alterTable(q, table, `ALTER COLUMN ${q.ident(column.name)} SET DEFAULT ${value}`)),
          // A loop that runs to the end as pasted. A filled row no longer matches IS NULL, so it
          // also ends on a table whose key is unknown (unless the default itself yields NULL).
          batchedDml(
            sql,
            q,
            `UPDATE ${q.table(table)} SET ${q.ident(column.name)} = ${value} WHERE ${q.ident(column.name)} IS NULL`,
            table,
            tableOf(table),
            major,
            { stopsMatching: value !== 'NULL' },
          ) ?? [],
          column.notNull ? sql.notNullScript(q, table, column.name, major) : [],
        ),
      },
    ];
  },
});
