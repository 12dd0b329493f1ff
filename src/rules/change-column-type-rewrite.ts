import { defineRule, type RuleMeta } from '../core/rule.js';
import { batchedDml } from './dml.js';
import { ended, lines, dropSyncTriggerScript, syncTriggerScript } from './sql.js';
import { droppedOnNewTable } from './new-table.js';

/**
 * ALTER COLUMN … TYPE rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE unless
 * the old type is binary-coercible to the new one and no value can be rejected: raising a
 * varchar limit or dropping it (varchar → text), raising numeric precision at the same scale,
 * timestamp ↔ timestamptz when the session TimeZone is UTC (12+), cidr → inet. Anything else
 * blocks all traffic for the length of the rewrite; expand/contract gets there online.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
export const BINARY_COERCIBLE =
  'varchar(n) → larger n or text, numeric(p,s) → larger p same s, removing a length limit, timestamp ↔ timestamptz with TimeZone UTC (12+), cidr → inet';

const meta: RuleMeta = {
  id: 'change-column-type-rewrite',
  category: 'locking',
  severity: 'error',
  description: 'ALTER COLUMN TYPE that is not binary-coercible rewrites the table under ACCESS EXCLUSIVE',
  kinds: ['alter column type'],
  scalesWithSize: true,
  skipNewTables: true,
  dialects: ['postgres'],
};

export default defineRule({
  meta,
  check(ctx) {
    const { change, facts, q, major, table: tableOf, sql } = ctx;
    if (!sql) return [];
    if (change.kind !== 'alter column type' || !facts.rewritesTable) return [];
    if (droppedOnNewTable(meta, ctx)) return [];
    const { table, column, type } = change;
    const col = q.ident(column);
    const fresh = `${column.slice(0, 59)}_new`;
    const newCol = q.ident(fresh);
    // Without USING, ALTER TYPE converts with the assignment cast; assigning the bare column to
    // the new one does the same (and fails, as it would, on values that do not fit).
    const value = change.using ? change.using.sql : col;
    const info = tableOf(table);
    const current = info?.columns.find((c) => c.name === column);
    // Only rows still to fill: a converted row stops matching, so the loop also ends on a table
    // whose key is unknown.
    const backfill = batchedDml(
      sql,
      q,
      `UPDATE ${q.table(table)} SET ${newCol} = ${value} WHERE ${newCol} IS NULL AND (${value}) IS NOT NULL`,
      table,
      info,
      major,
      { stopsMatching: true },
    );
    // The old column's indexes go with it in the contract step: the new one needs its own.
    const indexes = (info?.indexes ?? [])
      .filter((i) => i.columns.includes(column) || i.include.includes(column))
      .map((i) => i.name);
    const why = facts.notes[0] ? ` (${facts.notes[0]})` : '';
    return [
      {
        message: `Changing ${table}.${column} to ${type.sql} rewrites the table and rebuilds its indexes while ACCESS EXCLUSIVE blocks reads and writes${why}. Only binary-coercible changes skip the rewrite: ${BINARY_COERCIBLE}.`,
        safeAlternative: lines(
          ended(sql.alterTable(q, table, `ADD COLUMN ${newCol} ${type.sql}`)),
          `-- keep it in step with ${column} while old code writes ${column}:`,
          syncTriggerScript(sql, q, table, fresh, [`NEW.${newCol} := ${sql.triggers.overNew(value)};`], major)
            .create,
          '-- existing rows, in batches:',
          backfill ?? [],
          current && !current.nullable ? sql.notNullScript(q, table, fresh, major) : [],
          current
            ? indexes.length > 0
              ? [`-- build ${fresh} its own copy of ${indexes.join(', ')} (CREATE INDEX CONCURRENTLY);`]
              : []
            : [
                `-- ${column}'s NOT NULL, default and indexes are unknown here (run with --db or --schema to get them): give ${fresh} the same;`,
              ],
          '-- then, in a later release, once every reader handles the new type, in one transaction:',
          [
            ...dropSyncTriggerScript(sql, q, table, fresh),
            ended(sql.alterTable(q, table, `DROP COLUMN ${col}`)),
            ended(sql.alterTable(q, table, `RENAME COLUMN ${newCol} TO ${col}`)),
            ...(current?.default
              ? [ended(sql.alterTable(q, table, `ALTER COLUMN ${col} SET DEFAULT ${current.default}`))]
              : []),
          ].map((l) => `-- ${l}`),
        ),
      },
    ];
  },
});
