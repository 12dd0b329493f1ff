import { defineRule } from '../core/rule.js';
import { batchedDml } from './dml.js';
import { ended, lines } from './sql.js';

/**
 * ADD COLUMN of type serial / bigserial, or with GENERATED … AS IDENTITY, numbers every existing
 * row from a sequence: the table is rewritten under ACCESS EXCLUSIVE. A plain column with the
 * sequence as its default (which applies to new rows only) and a batched backfill of old rows
 * reaches the same state online.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
const SERIAL_TYPES = { smallserial: 'smallint', serial: 'integer', bigserial: 'bigint' } as const;

export default defineRule({
  meta: {
    id: 'add-auto-increment-column',
    category: 'locking',
    severity: 'error',
    description: 'ADD COLUMN serial / identity numbers every row: a table rewrite under ACCESS EXCLUSIVE',
    kinds: ['add column'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, facts, q, major, table: tableOf, sql }) {
    if (!sql) return [];
    if (change.kind !== 'add column' || !facts.rewritesTable) return [];
    const { column, table } = change;
    if (!column.type.serial && !column.identity) return [];
    const type = column.type.serial ? SERIAL_TYPES[column.type.serial] : column.type.sql;
    const schema = table.slice(0, table.indexOf('.'));
    const bare = table.slice(schema.length + 1);
    const sequence = `${schema}.${sql.names.helper(table, column.name, 'seq')}`;
    const col = q.ident(column.name);
    const next = `nextval(${q.literal(q.table(sequence))})`;
    const backfill = batchedDml(
      sql,
      q,
      `UPDATE ${q.table(table)} SET ${col} = ${next} WHERE ${col} IS NULL`,
      table,
      tableOf(table),
      major,
      // nextval never returns NULL: a numbered row stops matching.
      { stopsMatching: true },
    );
    const keyName = (suffix: string) => `${bare.slice(0, 58 - column.name.length)}_${column.name}_${suffix}`;
    const constraint = column.primaryKey
      ? { name: `${bare.slice(0, 58)}_pkey`, kind: 'PRIMARY KEY' }
      : column.unique
        ? { name: keyName('key'), kind: 'UNIQUE' }
        : null;
    return [
      {
        message: `Adding ${column.type.serial ?? 'identity'} column ${column.name} numbers every existing row of ${table}: the table is rewritten while ACCESS EXCLUSIVE blocks reads and writes.`,
        safeAlternative: lines(
          `CREATE SEQUENCE ${q.table(sequence)} AS ${type};`,
          ended(sql.alterTable(q, table, `ADD COLUMN ${col} ${type}`)),
          '-- new rows get numbers from here on (a default set after ADD COLUMN applies to new rows only):',
          ended(sql.alterTable(q, table, `ALTER COLUMN ${col} SET DEFAULT ${next}`)),
          `ALTER SEQUENCE ${q.table(sequence)} OWNED BY ${q.table(table)}.${col};`,
          '-- number the existing rows in batches:',
          backfill ?? [],
          sql.notNullScript(q, table, column.name, major),
          constraint
            ? [
                '-- outside a transaction block:',
                `CREATE UNIQUE INDEX CONCURRENTLY ${q.ident(constraint.name)} ON ${q.table(table)} (${col});`,
                ended(
                  sql.alterTable(
                    q,
                    table,
                    `ADD CONSTRAINT ${q.ident(constraint.name)} ${constraint.kind} USING INDEX ${q.ident(constraint.name)}`,
                  ),
                ),
              ]
            : [],
          column.identity && major >= 12
            ? [
                '-- then, to make it an identity column (one transaction, catalog only):',
                ended(sql.alterTable(q, table, `ALTER COLUMN ${col} DROP DEFAULT`)),
                `DROP SEQUENCE ${q.table(sequence)};`,
                ended(
                  sql.alterTable(
                    q,
                    table,
                    `ALTER COLUMN ${col} ADD GENERATED ${column.identity.toUpperCase()} AS IDENTITY`,
                  ),
                ),
                `SELECT setval(pg_get_serial_sequence(${q.literal(q.table(table))}, ${q.literal(column.name)}), max(${col})) FROM ${q.table(table)};`,
              ]
            : [],
        ),
      },
    ];
  },
});
