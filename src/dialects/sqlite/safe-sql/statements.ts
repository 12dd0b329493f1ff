/**
 * ALTER TABLE, constraint and index statements as SQLite spells them, for rules' safe
 * alternatives and plan steps. SQLite's ALTER TABLE renames, adds and drops columns and nothing
 * else: a constraint is added or dropped by rebuilding the table (../rebuild, reached by recipes
 * as `safeSql.rebuild`), and an index is built while the database's write lock is held (there
 * is no online build). https://www.sqlite.org/lang_altertable.html, https://www.sqlite.org/lang_createindex.html
 */
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import { SchemapilotError } from '../../../core/errors.js';
import type { Quoter } from '../../../core/rule.js';

export function alterTable(q: Quoter, table: string, action: string): string {
  return `ALTER TABLE ${q.table(table)} ${action}`;
}

function noAlterConstraint(what: string): never {
  throw new SchemapilotError(
    `SQLite's ALTER TABLE cannot ${what}: the table is rebuilt instead (schemapilot plan writes the 12-step rebuild, https://www.sqlite.org/lang_altertable.html#otheralter)`,
  );
}

export const constraints: SafeSql['constraints'] = {
  addNotValid: () => noAlterConstraint('add a constraint'),
  validate: () => noAlterConstraint('validate a constraint'),
  drop: () => noAlterConstraint('drop a constraint'),
  attachIndex: () => noAlterConstraint('turn an index into a constraint'),
};

export const indexes: SafeSql['indexes'] = {
  // CONCURRENTLY has no SQLite counterpart: every build holds the write lock; `concurrently` is ignored.
  create: (q, index) =>
    `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${q.ident(index.name)} ON ${q.table(index.table)} (${index.columns.join(', ')})`,
  drop: (reference, options) => `DROP INDEX ${options.ifExists ? 'IF EXISTS ' : ''}${reference}`,
  concurrentIndex: () => {
    throw new SchemapilotError('SQLite builds every index under the write lock: there is no online build');
  },
  concurrentFromDefinition: (definition) => definition,
};

/** NOT NULL on SQLite: the rows first, then the rebuild (ALTER TABLE has no SET NOT NULL). */
export function notNullScript(q: Quoter, table: string, column: string): string[] {
  const c = q.ident(column);
  return [
    `-- SQLite's ALTER TABLE has no SET NOT NULL: fill the NULLs first (in batches on a large table):`,
    `UPDATE ${q.table(table)} SET ${c} = <value> WHERE ${c} IS NULL;`,
    `-- then rebuild the table with the column NOT NULL: write the change as schemapilot's intent,`,
    `--   ${alterTable(q, table, `ALTER COLUMN ${c} SET NOT NULL`)};`,
    `-- and run schemapilot plan, which writes the 12-step rebuild (https://www.sqlite.org/lang_altertable.html#otheralter)`,
  ];
}
