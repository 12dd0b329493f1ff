import type { Table } from '../core/snapshot.js';

/**
 * One table in the shape the brief's `get_current_schema` returns (SQLAlchemy's inspector:
 * columns, indexes, foreign_keys, primary_key), for users and scripts written against it.
 * The primary key's own index is left out of `indexes`, as SQLAlchemy does.
 */
export interface BriefTableShape {
  columns: { name: string; type: string; nullable: boolean; default: string | null }[];
  indexes: { name: string; column_names: string[]; unique: boolean }[];
  foreign_keys: {
    name: string;
    constrained_columns: string[];
    referred_schema: string;
    referred_table: string;
    referred_columns: string[];
    options: { ondelete: string; onupdate: string };
  }[];
  primary_key: { name: string | null; constrained_columns: string[] };
}

export function toBriefTableShape(table: Table): BriefTableShape {
  return {
    columns: table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      default: c.default,
    })),
    indexes: table.indexes
      .filter((i) => !i.primary)
      .map((i) => ({ name: i.name, column_names: i.columns, unique: i.unique })),
    foreign_keys: table.foreignKeys.map((fk) => ({
      name: fk.name,
      constrained_columns: fk.columns,
      referred_schema: fk.referencedSchema,
      referred_table: fk.referencedTable,
      referred_columns: fk.referencedColumns,
      options: { ondelete: fk.onDelete, onupdate: fk.onUpdate },
    })),
    primary_key: {
      name: table.primaryKey?.name ?? null,
      constrained_columns: table.primaryKey?.columns ?? [],
    },
  };
}
