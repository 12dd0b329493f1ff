/**
 * Changes as the SQLite lowering gives them (src/core/change.ts), written out for the rebuild's
 * tests, which need no parser: the rebuild's input is the Change.
 */
import type { Change, ColumnSpec, ConstraintSpec, Expr } from '../../../../src/core/change.js';

export function expr(sql: string, constant = false): Expr {
  return { sql, functions: [], constant };
}

export const change = {
  type: (table: string, column: string, type: string, using?: string): Change => ({
    kind: 'alter column type',
    table: `main.${table}`,
    column,
    type: { name: type.toLowerCase(), modifiers: [], arrayDims: 0, sql: type },
    using: using ? expr(using) : null,
    usingIsColumn: false,
    collation: null,
  }),
  setNotNull: (table: string, column: string): Change => ({
    kind: 'set not null',
    table: `main.${table}`,
    column,
  }),
  dropNotNull: (table: string, column: string): Change => ({
    kind: 'drop not null',
    table: `main.${table}`,
    column,
  }),
  setDefault: (table: string, column: string, sql: string, constant = true): Change => ({
    kind: 'set default',
    table: `main.${table}`,
    column,
    default: expr(sql, constant),
  }),
  dropDefault: (table: string, column: string): Change => ({
    kind: 'drop default',
    table: `main.${table}`,
    column,
  }),
  dropColumn: (table: string, column: string): Change => ({
    kind: 'drop column',
    table: `main.${table}`,
    column,
    ifExists: false,
    cascade: false,
  }),
  addColumn: (
    table: string,
    column: Omit<Partial<ColumnSpec>, 'type'> & { name: string; type: string },
  ): Change => ({
    kind: 'add column',
    table: `main.${table}`,
    ifNotExists: false,
    column: {
      notNull: false,
      default: null,
      identity: null,
      generated: null,
      collation: null,
      primaryKey: false,
      unique: false,
      checks: [],
      references: null,
      ...column,
      type: { name: column.type.toLowerCase(), modifiers: [], arrayDims: 0, sql: column.type },
    },
  }),
  addConstraint: (table: string, constraint: ConstraintSpec): Change => ({
    kind: 'add constraint',
    table: `main.${table}`,
    constraint,
  }),
  dropConstraint: (table: string, name: string): Change => ({
    kind: 'drop constraint',
    table: `main.${table}`,
    name,
    ifExists: false,
    cascade: false,
  }),
};
