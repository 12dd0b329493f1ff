/**
 * ALTER TABLE, constraint and index statements as PostgreSQL spells them, for rules' safe
 * alternatives and plan steps alike.
 * https://www.postgresql.org/docs/current/sql-altertable.html (NOT VALID, VALIDATE CONSTRAINT, USING INDEX)
 * https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
 */
import type { IndexStmt } from '@pgsql/types';
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import type { Quoter } from '../../../core/rule.js';
import { as, deparse } from '../ast.js';

export function alterTable(q: Quoter, table: string, action: string): string {
  return `ALTER TABLE ${q.table(table)} ${action}`;
}

export const constraints: SafeSql['constraints'] = {
  addNotValid: (q, table, name, body) =>
    alterTable(q, table, `ADD CONSTRAINT ${q.ident(name)} ${body} NOT VALID`),
  validate: (q, table, name) => alterTable(q, table, `VALIDATE CONSTRAINT ${q.ident(name)}`),
  drop: (q, table, name, options = {}) =>
    alterTable(q, table, `DROP CONSTRAINT ${options.ifExists ? 'IF EXISTS ' : ''}${q.ident(name)}`),
  attachIndex: (q, table, name, kind) =>
    alterTable(q, table, `ADD CONSTRAINT ${q.ident(name)} ${kind} USING INDEX ${q.ident(name)}`),
};

export const indexes: SafeSql['indexes'] = {
  create(q, index) {
    const include =
      index.include && index.include.length > 0 ? ` INCLUDE (${index.include.map(q.ident).join(', ')})` : '';
    return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX${index.concurrently ? ' CONCURRENTLY' : ''} ${q.ident(index.name)} ON ${q.table(index.table)} (${index.columns.join(', ')})${include}${index.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''}`;
  },
  drop: (reference, options) =>
    `DROP INDEX${options.concurrently ? ' CONCURRENTLY' : ''} ${options.ifExists ? 'IF EXISTS ' : ''}${reference}`,
  // The user's own statement, changed in one place and printed back, so nothing they wrote
  // (opclasses, INCLUDE, WITH, ordering) is lost on the way.
  concurrentIndex(ast, name) {
    // A shallow copy: only top-level fields change, and the deparser reads its input without
    // writing it (a deep structuredClone of the statement was most of this function's time).
    const stmt: IndexStmt = {
      ...as<IndexStmt>(ast, 'IndexStmt'),
      concurrent: true,
      if_not_exists: false,
      idxname: name,
    };
    return deparse({ IndexStmt: stmt });
  },
  concurrentFromDefinition(definition) {
    return definition.replace(
      /^CREATE (UNIQUE )?INDEX /,
      (_m, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX CONCURRENTLY `,
    );
  },
};
