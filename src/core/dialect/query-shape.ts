/**
 * What impact's "may break" rules (src/impact/may-break.ts) need to know about a query that
 * PREPARE cannot tell them: which table it writes, which columns an INSERT names, whether its
 * result is `*`, and which string literals it holds. Read with the dialect's own parser, so
 * that a CTE alias or another table's column of the same name is never mistaken for the
 * changed one.
 */

export interface QueryShape {
  kind: 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'other';
  /** The table written (qualified `schema.name`, unquoted); null for a read. */
  table: string | null;
  /**
   * INSERT: the column list as written, null when omitted (all columns, in order); UPDATE: the
   * columns SET assigns; otherwise empty.
   */
  columns: string[] | null;
  /** The result carries `*` or `alias.*` (in the select list, or RETURNING *). */
  star: boolean;
  /** Every table or view the statement names (qualified, CTE names excluded), sorted. */
  tables: string[];
  /** String constants the statement holds (what an enum value is written as). */
  literals: string[];
}

/**
 * The shape of each statement of `sql`, names resolved against `defaultSchema`; null when the
 * dialect's parser rejects it. The dialect's parser must be loaded (`language.load()`).
 */
export type QueryShaper = (sql: string, defaultSchema: string) => QueryShape[] | null;
