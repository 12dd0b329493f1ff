/**
 * A Change's column and constraint as SQLite's CREATE TABLE writes them, for what the rebuild
 * adds to a table's definition. https://www.sqlite.org/lang_createtable.html
 */
import type { ColumnSpec, ConstraintSpec, Expr, ReferenceSpec } from '../../../core/change.js';
import { SchemapilotError } from '../../../core/errors.js';
import type { Quoter } from '../../../core/rule.js';

/** What may follow DEFAULT without parentheses: a literal or a signed number (the grammar's `DEFAULT literal-value`). */
const BARE_DEFAULT =
  /^(?:[+-]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?|0[xX][0-9A-Fa-f_]+|'(?:[^']|'')*'|[xX]'[0-9A-Fa-f]*'|NULL|TRUE|FALSE|CURRENT_TIME|CURRENT_DATE|CURRENT_TIMESTAMP)$/i;

/** A default as it follows DEFAULT: a literal as it is, anything else in parentheses. */
export function defaultValue(expr: Expr): string {
  const sql = expr.sql.trim();
  return BARE_DEFAULT.test(sql) ? sql : `(${sql})`;
}

/** The default is evaluated per row or per statement, which ADD COLUMN refuses on a table with rows. */
export function isNonConstantDefault(expr: Expr): boolean {
  const sql = expr.sql.trim();
  return /^CURRENT_(TIME|DATE|TIMESTAMP)$/i.test(sql) || !BARE_DEFAULT.test(sql);
}

function references(q: Quoter, ref: ReferenceSpec): string {
  const columns = ref.columns.length > 0 ? ` (${ref.columns.map((c) => q.ident(c)).join(', ')})` : '';
  const actions = [
    ref.onDelete !== 'NO ACTION' ? ` ON DELETE ${ref.onDelete}` : '',
    ref.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${ref.onUpdate}` : '',
  ].join('');
  // A foreign key names its parent without a schema: SQLite looks for it in the child's own database.
  return `REFERENCES ${q.ident(ref.table.slice(ref.table.indexOf('.') + 1))}${columns}${actions}`;
}

/** A column definition from a parsed ADD COLUMN. */
export function columnDefinition(q: Quoter, spec: ColumnSpec): string {
  if (spec.identity)
    throw new SchemapilotError(
      `SQLite has no identity columns: write ${spec.name} as INTEGER PRIMARY KEY (a rowid alias) instead`,
    );
  const parts = [q.ident(spec.name)];
  if (spec.type.sql) parts.push(spec.type.sql);
  if (spec.primaryKey) parts.push('PRIMARY KEY');
  if (spec.notNull) parts.push('NOT NULL');
  if (spec.unique) parts.push('UNIQUE');
  if (spec.default) parts.push(`DEFAULT ${defaultValue(spec.default)}`);
  for (const check of spec.checks) parts.push(`CHECK (${check.sql})`);
  if (spec.collation) parts.push(`COLLATE ${q.ident(spec.collation)}`);
  if (spec.references) parts.push(references(q, spec.references));
  if (spec.generated)
    parts.push(
      `GENERATED ALWAYS AS (${spec.generated.expr.sql}) ${spec.generated.stored ? 'STORED' : 'VIRTUAL'}`,
    );
  return parts.join(' ');
}

/** A table constraint from a parsed ADD CONSTRAINT; null for NOT NULL, which is a column's. */
export function constraintDefinition(q: Quoter, spec: ConstraintSpec): string | null {
  const named = spec.name ? `CONSTRAINT ${q.ident(spec.name)} ` : '';
  const list = (columns: readonly string[]) => columns.map((c) => q.ident(c)).join(', ');
  switch (spec.type) {
    case 'check':
      if (spec.notEnforced)
        throw new SchemapilotError('SQLite has no CHECK … NOT ENFORCED: every CHECK is enforced');
      return `${named}CHECK (${spec.expr.sql})`;
    case 'foreign key':
      return `${named}FOREIGN KEY (${list(spec.columns)}) ${references(q, spec.references)}`;
    case 'unique':
      if (spec.usingIndex)
        throw new SchemapilotError('SQLite has no UNIQUE USING INDEX: write the columns of the constraint');
      return `${named}UNIQUE (${list(spec.columns)})`;
    case 'primary key':
      if (spec.usingIndex)
        throw new SchemapilotError('SQLite has no PRIMARY KEY USING INDEX: write the columns of the key');
      return `${named}PRIMARY KEY (${list(spec.columns)})`;
    case 'exclusion':
      throw new SchemapilotError('SQLite has no exclusion constraints');
    case 'not null':
      return null;
  }
}
