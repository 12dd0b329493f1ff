/**
 * Plan step pre- and post-checks read from information_schema: each query's first column is 1
 * when the step may go on. Names are compared as literals (q.literal), never spliced as SQL.
 * MySQL has no INVALID indexes: a failed online build leaves nothing behind.
 */
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import type { Quoter } from '../../../core/rule.js';

function parts(table: string): [string, string] {
  const dot = table.indexOf('.');
  return [table.slice(0, dot), table.slice(dot + 1)];
}

/** A LIKE pattern matching `text` literally (the default escape character is the backslash). */
function likeLiteral(q: Quoter, text: string): string {
  return q.literal(`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

const quoted = (name: string) => `\`${name.replace(/`/g, '``')}\``;

export const checks: SafeSql['checks'] = {
  noNulls: (q, table, column) => ({
    description: `no NULL left in ${table}.${column}`,
    sql: `SELECT NOT EXISTS (SELECT 1 FROM ${q.table(table)} WHERE ${q.ident(column)} IS NULL)`,
  }),
  indexIsValid(q, table, index) {
    const [schema, name] = parts(table);
    return {
      description: `index ${index} exists`,
      sql: `SELECT EXISTS (SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ${q.literal(schema)} AND TABLE_NAME = ${q.literal(name)} AND INDEX_NAME = ${q.literal(index)})`,
    };
  },
  noInvalidIndex: (_q, _table, index) => ({
    description: `no index ${index} left by an earlier failed build (MySQL leaves none)`,
    sql: 'SELECT 1',
  }),
  // The server prints a view's definition with every name quoted and qualified (`db`.`t`.`c`).
  noViewUsesColumn(q, table, column) {
    const [schema, name] = parts(table);
    return {
      description: `no view reads ${table}.${column}`,
      sql: `SELECT NOT EXISTS (SELECT 1 FROM information_schema.VIEWS WHERE VIEW_DEFINITION LIKE ${likeLiteral(q, `${quoted(schema)}.${quoted(name)}.${quoted(column)}`)})`,
    };
  },
  noViewUsesTable(q, table) {
    const [schema, name] = parts(table);
    return {
      description: `no view reads ${table}`,
      sql: `SELECT NOT EXISTS (SELECT 1 FROM information_schema.VIEWS WHERE VIEW_DEFINITION LIKE ${likeLiteral(q, `${quoted(schema)}.${quoted(name)}`)})`,
    };
  },
  noForeignKeyTo(q, table, column) {
    const [schema, name] = parts(table);
    const which = column
      ? ` AND REFERENCED_COLUMN_NAME = ${q.literal(column)}`
      : ` AND NOT (TABLE_SCHEMA = ${q.literal(schema)} AND TABLE_NAME = ${q.literal(name)})`;
    return {
      description: column
        ? `no foreign key references ${table}.${column}`
        : `no other table's foreign key references ${table}`,
      sql: `SELECT NOT EXISTS (SELECT 1 FROM information_schema.KEY_COLUMN_USAGE WHERE REFERENCED_TABLE_SCHEMA = ${q.literal(schema)} AND REFERENCED_TABLE_NAME = ${q.literal(name)}${which})`,
    };
  },
};
