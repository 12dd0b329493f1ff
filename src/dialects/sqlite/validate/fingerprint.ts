/**
 * What a statement did to the tables and indexes it touched, seen from the file: SQLite has no
 * relation ids, but every table and index is a b-tree with a root page (sqlite_schema.rootpage),
 * and dbstat reports the pages of each. A table rebuilt under its own name has a new root page;
 * a table whose rows were rewritten in place (ALTER TABLE DROP COLUMN rewrites every row:
 * https://www.sqlite.org/lang_altertable.html#alter_table_drop_column) keeps its root page but
 * not its pages' payload. ADD COLUMN and RENAME change only sqlite_schema, so neither moves.
 */
import type { SqliteSession } from '../session.js';

export interface Btree {
  type: 'table' | 'index';
  name: string;
  /** The table an index belongs to (itself for a table). */
  table: string;
  rootpage: number;
}

/** Every table and index of `main` now, by lower-cased name. */
export function btrees(session: SqliteSession): Map<string, Btree> {
  const rows = session.rows<Btree & { tbl_name: string }>(
    `SELECT type, name, tbl_name, rootpage FROM sqlite_schema WHERE type IN ('table', 'index') AND rootpage > 0`,
  );
  return new Map(
    rows.map((r) => [
      r.name.toLowerCase(),
      { type: r.type, name: r.name, table: r.tbl_name, rootpage: r.rootpage },
    ]),
  );
}

/** Page count and payload of a b-tree (the same rows stored the same way give the same figures); null without dbstat. */
export function contentPrint(session: SqliteSession, name: string): string | null {
  try {
    const [row] = session.rows<{ pages: number; payload: number | null; cells: number | null }>(
      'SELECT count(*) AS pages, sum(payload) AS payload, sum(ncell) AS cells FROM dbstat WHERE name = ?',
      name,
    );
    return row ? `${row.pages}/${row.payload ?? 0}/${row.cells ?? 0}` : null;
  } catch {
    return null;
  }
}
