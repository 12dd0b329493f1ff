/**
 * Rollback SQL that brings back a column a contract step dropped: its definition from the
 * schema snapshot (type, collation, default, NOT NULL), its values from wherever they survive
 * (the renamed column, the archive), and the indexes and CHECK constraints that went with it.
 * Without this a rollback after the contract step re-added a bare nullable column, and the
 * schema never came back.
 */
import type { Quoter } from '../core/rule.js';
import type { Column, Table } from '../core/snapshot.js';
import { replaceColumnRefs } from './column-refs.js';
import type { SafeSql } from '../core/dialect/safe-sql.js';

/** ` COLLATE …` for a column's non-default collation (`schema.name` or a pg_catalog name). */
export function collate(q: Quoter, collation: string | null): string {
  if (collation === null) return '';
  return ` COLLATE ${collation.includes('.') ? q.table(collation) : q.ident(collation)}`;
}

/**
 * Re-create `column` of `table` (as `t` had it before the plan). `fill` are the statements
 * that put its values back; without them, existing rows get the default (or NULL), and NOT NULL
 * is restored only when the default fills every row.
 */
export function recreateColumn(
  sql: SafeSql,
  q: Quoter,
  table: string,
  t: Table,
  column: Column,
  fill: readonly string[],
): string[] {
  const alter = sql.alterTable;
  const c = q.ident(column.name);
  const defaultNow = fill.length === 0 && column.default !== null;
  const out = [
    alter(
      q,
      table,
      `ADD COLUMN ${c} ${column.type}${collate(q, column.collation)}${defaultNow ? ` DEFAULT ${column.default}` : ''}`,
    ),
    ...fill,
  ];
  if (column.default !== null && !defaultNow)
    out.push(alter(q, table, `ALTER COLUMN ${c} SET DEFAULT ${column.default}`));
  if (!column.nullable && (fill.length > 0 || defaultNow))
    out.push(alter(q, table, `ALTER COLUMN ${c} SET NOT NULL`));
  // Dropping the column dropped every index and CHECK that used it; the server printed their
  // definitions, which name the column as it is named again now.
  for (const index of t.indexes)
    if (index.constraint === null && index.columns.includes(column.name)) out.push(index.definition);
  for (const check of t.checkConstraints)
    if (replaceColumnRefs(check.definition, column.name, c).count > 0)
      out.push(alter(q, table, `ADD CONSTRAINT ${q.ident(check.name)} ${check.definition}`));
  return out;
}
