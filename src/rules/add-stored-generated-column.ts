import { defineRule, type RuleMeta } from '../core/rule.js';
import { batchedDml } from './dml.js';
import { ended, lines, syncTriggerScript } from './sql.js';
import { droppedOnNewTable } from './new-table.js';

/**
 * ADD COLUMN … GENERATED ALWAYS AS (…) STORED computes the value for every existing row: the
 * table is rewritten under ACCESS EXCLUSIVE, so nothing reads or writes it until the end.
 * A plain column filled by a trigger, backfilled in batches, gives the same values online.
 * https://www.postgresql.org/docs/current/ddl-generated-columns.html
 */
const meta: RuleMeta = {
  id: 'add-stored-generated-column',
  category: 'locking',
  severity: 'error',
  description: 'ADD COLUMN … GENERATED … STORED rewrites the whole table under ACCESS EXCLUSIVE',
  kinds: ['add column'],
  scalesWithSize: true,
  skipNewTables: true,
  dialects: ['postgres'],
};

export default defineRule({
  meta,
  check(ctx) {
    const { change, facts, q, major, table: tableOf, sql } = ctx;
    if (!sql) return [];
    if (change.kind !== 'add column' || !change.column.generated?.stored || !facts.rewritesTable) return [];
    if (droppedOnNewTable(meta, ctx)) return [];
    const { column, table } = change;
    const expr = change.column.generated.expr.sql;
    const col = q.ident(column.name);
    // Only rows still to fill: a filled row stops matching, so the loop also ends on a table
    // whose key is unknown.
    const backfill = batchedDml(
      sql,
      q,
      `UPDATE ${q.table(table)} SET ${col} = ${expr} WHERE ${col} IS NULL AND (${expr}) IS NOT NULL`,
      table,
      tableOf(table),
      major,
      { stopsMatching: true },
    );
    return [
      {
        message: `Adding stored generated column ${column.name} computes it for every row of ${table}: the table is rewritten while ACCESS EXCLUSIVE blocks reads and writes.`,
        safeAlternative: lines(
          ended(sql.alterTable(q, table, `ADD COLUMN ${col} ${column.type.sql}`)),
          '-- new and updated rows get the value from a trigger:',
          syncTriggerScript(
            sql,
            q,
            table,
            column.name,
            [`NEW.${col} := ${sql.triggers.overNew(expr)};`],
            major,
          ).create,
          '-- existing rows, in batches:',
          backfill ?? [],
          major >= 18
            ? [
                '-- or, on PostgreSQL 18+, a VIRTUAL generated column is computed on read: no rewrite, but it cannot be indexed:',
                `-- ${ended(sql.alterTable(q, table, `ADD COLUMN ${col} ${column.type.sql} GENERATED ALWAYS AS (${expr}) VIRTUAL`))}`,
              ]
            : [],
        ),
      },
    ];
  },
});
