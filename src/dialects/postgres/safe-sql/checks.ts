/**
 * Plan step pre- and post-checks read from PostgreSQL's catalog: each query's first column is
 * true when the step may go on. Every name goes through the Quoter, every literal through
 * `q.literal`.
 */
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import type { Quoter } from '../../../core/rule.js';

/** `schema.name` of an object in the table's schema, as a literal for to_regclass(). */
function regclassLiteral(q: Quoter, table: string, name: string): string {
  const schema = table.slice(0, table.indexOf('.'));
  return q.literal(`${q.ident(schema)}.${q.ident(name)}`);
}

function tableLiteral(q: Quoter, table: string): string {
  return regclassLiteral(q, table, table.slice(table.indexOf('.') + 1));
}

export const checks: SafeSql['checks'] = {
  noNulls: (q, table, column) => ({
    description: `no NULL left in ${table}.${column}`,
    sql: `SELECT NOT EXISTS (SELECT 1 FROM ${q.table(table)} WHERE ${q.ident(column)} IS NULL)`,
  }),
  indexIsValid: (q, table, index) => ({
    description: `index ${index} exists and is valid`,
    sql: `SELECT coalesce((SELECT indisvalid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass(${regclassLiteral(q, table, index)})), false)`,
  }),
  noInvalidIndex: (q, table, index) => ({
    description: `no INVALID index ${index} left by an earlier failed build`,
    sql: `SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = to_regclass(${regclassLiteral(q, table, index)}) AND NOT indisvalid)`,
  }),
  noViewUsesColumn(q, table, column) {
    const rel = tableLiteral(q, table);
    return {
      description: `no view reads ${table}.${column}`,
      sql: `SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refobjid = ${rel}::regclass AND a.attname = ${q.literal(column)})`,
    };
  },
  noViewUsesTable: (q, table) => ({
    description: `no view reads ${table}`,
    sql: `SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refobjid = ${tableLiteral(q, table)}::regclass AND r.ev_class <> d.refobjid)`,
  }),
  noForeignKeyTo(q, table, column) {
    const rel = tableLiteral(q, table);
    const col = column
      ? ` AND (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = ${rel}::regclass AND attname = ${q.literal(column)}) = ANY (c.confkey)`
      : ` AND c.conrelid <> ${rel}::regclass`;
    return {
      description: column
        ? `no foreign key references ${table}.${column}`
        : `no other table's foreign key references ${table}`,
      sql: `SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.contype = 'f' AND c.confrelid = ${rel}::regclass${col})`,
    };
  },
};
