/**
 * Laying out the SQL of safe alternatives: the user's own statement rewritten, with their
 * names, quoted by the dialect's quoter. The statements come from the dialect's safe-SQL
 * building blocks (RuleContext.sql), the same the planner writes its steps with; here they
 * are ended with `;` and joined by newlines, so the result pastes into a migration file as is.
 */
import type { SafeSql } from '../core/dialect/safe-sql.js';
import type { ColumnSpec } from '../core/change.js';
import type { Quoter } from '../core/rule.js';

/** A statement of a script: ended with `;`. */
export function ended(statement: string): string {
  return `${statement};`;
}

/** `name type [COLLATE c] [DEFAULT …] [NOT NULL]`, with parts left out on request. */
export function columnDefinition(
  q: Quoter,
  column: ColumnSpec,
  options: { default?: boolean; notNull?: boolean; constraints?: boolean } = {},
): string {
  const parts = [q.ident(column.name), column.type.sql];
  if (column.collation) parts.push(`COLLATE ${q.ident(column.collation)}`);
  if (options.default !== false && column.default) parts.push(`DEFAULT ${column.default.sql}`);
  if (options.notNull !== false && column.notNull) parts.push('NOT NULL');
  if (options.constraints !== false && column.references) {
    const cols =
      column.references.columns.length > 0 ? ` (${column.references.columns.map(q.ident).join(', ')})` : '';
    parts.push(`REFERENCES ${q.table(column.references.table)}${cols}`);
  }
  return parts.join(' ');
}

/**
 * The trigger that keeps `column` of `table` in step (its function's body: `body`), and how to
 * drop it again, as script statements; named after the table and column.
 */
export function syncTriggerScript(
  sql: SafeSql,
  q: Quoter,
  table: string,
  column: string,
  body: string[],
  major: number,
): { create: string[]; drop: string[] } {
  const trigger = sql.triggers.sync(q, { table, name: sql.names.helper(table, column, 'sync'), body, major });
  return { create: trigger.create.map(ended), drop: trigger.drop.map(ended) };
}

/**
 * What to say, in the finding's message, instead of a safe alternative that needs a fact the
 * analysis does not have: SQL with a placeholder or a step commented out would not run as pasted.
 */
export function missingFact(schemaKnown: boolean, fact: string): string {
  return schemaKnown
    ? `A safe alternative needs ${fact}, which the schema given does not have.`
    : `A safe alternative needs ${fact}: run with --db or --schema to get it.`;
}

export function lines(...parts: (string | string[])[]): string {
  // One array, not flat()'s and then join's.
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') out.push(part);
    else for (const line of part) out.push(line);
  }
  return out.join('\n');
}

/** Drops what `syncTriggerScript` made, for the contract step. */
export function dropSyncTriggerScript(sql: SafeSql, q: Quoter, table: string, column: string): string[] {
  // Dropping needs only the names: no body, and no version difference.
  return syncTriggerScript(sql, q, table, column, [], 0).drop;
}
