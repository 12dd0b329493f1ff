/**
 * A BEFORE INSERT OR UPDATE trigger that keeps a new column in step while old and new code
 * run side by side: the "expand" half of expand/contract, used for renames, type changes and
 * computed columns.
 */
import type { Quoter } from '../core/rule.js';
import { dollarQuote } from '../dialects/postgres/quote.js';
import { helperName } from './sql.js';

/**
 * `CREATE FUNCTION` + `CREATE TRIGGER` whose body (PL/pgSQL statements) sets NEW's columns.
 * The function lives in the table's schema and is named after the table and column.
 */
export function syncTrigger(
  q: Quoter,
  table: string,
  column: string,
  body: string[],
  major: number,
): string[] {
  const schema = table.slice(0, table.indexOf('.'));
  const name = helperName(table, column, 'sync');
  const fn = q.table(`${schema}.${name}`);
  // The tag is chosen so that no name or literal in the body can end the function early.
  const quoted = dollarQuote(
    ['', 'BEGIN', ...body.map((line) => `  ${line}`), '  RETURN NEW;', 'END', ''].join('\n'),
    'sync',
  );
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${quoted};`,
    // EXECUTE FUNCTION is the PostgreSQL 11+ spelling; 10 only knows EXECUTE PROCEDURE.
    `CREATE TRIGGER ${q.ident(name)} BEFORE INSERT OR UPDATE ON ${q.table(table)} FOR EACH ROW EXECUTE ${major >= 11 ? 'FUNCTION' : 'PROCEDURE'} ${fn}();`,
  ];
}

/** Drops what syncTrigger made, for the contract step. */
export function dropSyncTrigger(q: Quoter, table: string, column: string): string[] {
  const schema = table.slice(0, table.indexOf('.'));
  const name = helperName(table, column, 'sync');
  return [
    `DROP TRIGGER ${q.ident(name)} ON ${q.table(table)};`,
    `DROP FUNCTION ${q.table(`${schema}.${name}`)}();`,
  ];
}

/**
 * An expression over the table's columns evaluated against NEW: the sub-select exposes NEW's
 * fields under their column names, so the user's expression works unchanged inside the trigger.
 */
export function overNew(expression: string): string {
  return `(SELECT ${expression} FROM (SELECT NEW.*) AS new_row)`;
}
