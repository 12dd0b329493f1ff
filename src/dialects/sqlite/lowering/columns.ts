/**
 * Column definitions and table constraints as the Changes of core/change.ts carry them.
 * SQLite's declared types are free text (`VARCHAR(255)`, `unsigned big int`, none at all): the
 * TypeRef keeps the words lower-cased as its name and the numbers in parentheses as modifiers;
 * affinity is decided from the name by the rules of https://www.sqlite.org/datatype3.html
 * (typeAffinity below) where facts need it.
 */
import type { ColumnSpec, ConstraintSpec, Expr, ReferenceSpec, TypeRef } from '../../../core/change.js';
import type { SqliteColumn, SqliteExpr, SqliteForeignKey, SqliteTableConstraint } from '../ast.js';

export function typeRef(declared: string | null): TypeRef {
  if (declared === null) return { name: '', modifiers: [], arrayDims: 0, sql: '' };
  const paren = declared.indexOf('(');
  const words = (paren < 0 ? declared : declared.slice(0, paren)).trim().split(/\s+/);
  const modifiers =
    paren < 0
      ? []
      : declared
          .slice(paren + 1, declared.lastIndexOf(')'))
          .split(',')
          .map((n) => Number(n.trim()));
  return { name: words.join(' ').toLowerCase(), modifiers, arrayDims: 0, sql: declared };
}

/** The column affinity of a declared type (datatype3.html §3.1, "Determination Of Column Affinity"). */
export function typeAffinity(declared: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t === '' || t.includes('BLOB')) return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

export function expr(e: SqliteExpr): Expr {
  return { sql: e.sql, functions: e.functions, constant: e.constant };
}

/** A foreign key's parent table: SQLite resolves it in the child table's own schema. */
function reference(fk: SqliteForeignKey, schema: string): ReferenceSpec {
  return {
    table: `${schema}.${fk.table}`,
    columns: fk.columns,
    onDelete: fk.onDelete,
    onUpdate: fk.onUpdate,
  };
}

export function columnSpec(c: SqliteColumn, schema: string): ColumnSpec {
  return {
    name: c.name,
    type: typeRef(c.type),
    notNull: c.notNull,
    default: c.default ? expr(c.default) : null,
    identity: null,
    generated: c.generated ? { expr: expr(c.generated.expr), stored: c.generated.stored } : null,
    collation: c.collation,
    primaryKey: c.primaryKey !== null,
    unique: c.unique,
    checks: c.checks.map(expr),
    references: c.references ? reference(c.references, schema) : null,
  };
}

export function constraintSpec(c: SqliteTableConstraint, schema: string): ConstraintSpec {
  switch (c.type) {
    case 'primary key':
      return { type: 'primary key', name: c.name, columns: c.columns, usingIndex: null };
    case 'unique':
      return { type: 'unique', name: c.name, columns: c.columns, usingIndex: null, nullsNotDistinct: false };
    case 'check':
      return { type: 'check', name: c.name, expr: expr(c.expr), notValid: false, noInherit: false };
    case 'foreign key':
      return {
        type: 'foreign key',
        name: c.name,
        columns: c.columns,
        references: reference(c.references, schema),
        notValid: false,
      };
  }
}
