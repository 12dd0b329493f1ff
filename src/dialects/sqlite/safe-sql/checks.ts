/**
 * Plan step pre- and post-checks read from sqlite_schema and the pragma table functions: each
 * query's first column is 1 when the step may go on. Names are compared as literals, never
 * spliced in as SQL. SQLite has no invalid indexes (a failed CREATE INDEX leaves nothing) and
 * keeps no list of what a view reads: a view "uses" a name its text mentions.
 * https://www.sqlite.org/schematab.html, https://www.sqlite.org/pragma.html#pragfunc
 */
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import type { Quoter } from '../../../core/rule.js';

function parts(table: string): [string, string] {
  const dot = table.indexOf('.');
  return [table.slice(0, dot), table.slice(dot + 1)];
}

/** `<schema>.sqlite_schema` of the table's database. */
function schemaTable(q: Quoter, schema: string): string {
  return `${q.ident(schema)}.sqlite_schema`;
}

/** A LIKE pattern that matches `text` anywhere, `\` escaping the wildcards (pair with ESCAPE '\'). */
function containing(q: Quoter, text: string): string {
  return `${q.literal(`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`;
}

export const checks: SafeSql['checks'] = {
  noNulls: (q, table, column) => ({
    description: `no NULL left in ${table}.${column}`,
    sql: `SELECT NOT EXISTS (SELECT 1 FROM ${q.table(table)} WHERE ${q.ident(column)} IS NULL)`,
  }),
  indexIsValid(q, table, index) {
    const [schema] = parts(table);
    return {
      description: `index ${index} exists`,
      sql: `SELECT EXISTS (SELECT 1 FROM ${schemaTable(q, schema)} WHERE type = 'index' AND name = ${q.literal(index)})`,
    };
  },
  noInvalidIndex: (_q, _table, index) => ({
    description: `no index ${index} left by an earlier failed build (SQLite leaves none)`,
    sql: 'SELECT 1',
  }),
  noViewUsesColumn(q, table, column) {
    const [schema, name] = parts(table);
    return {
      description: `no view names ${table} and ${column}`,
      sql: `SELECT NOT EXISTS (SELECT 1 FROM ${schemaTable(q, schema)} WHERE type = 'view' AND sql LIKE ${containing(q, name)} AND sql LIKE ${containing(q, column)})`,
    };
  },
  noViewUsesTable(q, table) {
    const [schema, name] = parts(table);
    return {
      description: `no view names ${table}`,
      sql: `SELECT NOT EXISTS (SELECT 1 FROM ${schemaTable(q, schema)} WHERE type = 'view' AND sql LIKE ${containing(q, name)})`,
    };
  },
  noForeignKeyTo(q, table, column) {
    const [schema, name] = parts(table);
    const which = column ? ` AND fk."to" = ${q.literal(column)}` : ` AND s.name <> ${q.literal(name)}`;
    return {
      description: column
        ? `no foreign key references ${table}.${column}`
        : `no other table's foreign key references ${table}`,
      sql: `SELECT NOT EXISTS (SELECT 1 FROM ${schemaTable(q, schema)} AS s, pragma_foreign_key_list(s.name, ${q.literal(schema)}) AS fk WHERE s.type = 'table' AND fk."table" = ${q.literal(name)}${which})`,
    };
  },
};
