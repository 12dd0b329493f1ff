/**
 * Builders for the SQL in safe alternatives: the user's own statement rewritten, with their
 * names, quoted by the dialect's quoter. Statements end with `;` and are joined by newlines so
 * the result pastes into a migration file as is.
 */
import type { ColumnSpec } from '../core/change.js';
import type { Quoter } from '../core/rule.js';
import { helperName } from '../schema/names.js';

export function alterTable(q: Quoter, table: string, action: string): string {
  return `ALTER TABLE ${q.table(table)} ${action};`;
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

// The planner names the same helpers: one function, so a rule's safe alternative and the plan
// agree on names, within 63 bytes.
export { helperName } from '../schema/names.js';

/**
 * The NOT NULL dance that avoids a long ACCESS EXCLUSIVE scan: a NOT VALID CHECK (instant),
 * VALIDATE (reads the table under SHARE UPDATE EXCLUSIVE: traffic continues), then SET NOT NULL
 * which PostgreSQL 12+ proves from the CHECK without scanning, then drop the CHECK.
 */
export function notNullViaCheck(q: Quoter, table: string, column: string, major: number): string[] {
  // PostgreSQL 18 keeps NOT NULL as a catalog constraint named <table>_<column>_not_null: on a
  // column that already is NOT NULL (unknowable without a schema) that name is taken.
  // https://www.postgresql.org/docs/18/release-18.html (NOT NULL constraints in pg_constraint)
  const check = helperName(table, column, major >= 18 ? 'not_null_check' : 'not_null');
  const steps = [
    alterTable(q, table, `ADD CONSTRAINT ${q.ident(check)} CHECK (${q.ident(column)} IS NOT NULL) NOT VALID`),
    '-- commit here: VALIDATE must run in a later transaction',
    alterTable(q, table, `VALIDATE CONSTRAINT ${q.ident(check)}`),
  ];
  if (major >= 12) {
    steps.push(alterTable(q, table, `ALTER COLUMN ${q.ident(column)} SET NOT NULL`));
    steps.push(alterTable(q, table, `DROP CONSTRAINT ${q.ident(check)}`));
  } else {
    steps.push(
      `-- PostgreSQL ${major} cannot use the CHECK to skip the scan; keep it as the NOT NULL guarantee,`,
    );
    steps.push('-- or run SET NOT NULL in a quiet window after upgrading to 12+.');
  }
  return steps;
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
  return parts.flat().join('\n');
}
