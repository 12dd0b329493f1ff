/**
 * ALTER TABLE, constraint and index statements as MySQL and MariaDB spell them, for rules' safe
 * alternatives and plan steps. MySQL has no NOT VALID and no VALIDATE CONSTRAINT: a CHECK or a
 * foreign key is checked against every row when it is added (foreign_key_checks=0 skips the
 * check, it does not defer it), and a unique index is the unique constraint.
 * https://dev.mysql.com/doc/refman/8.0/en/alter-table.html
 * https://mariadb.com/kb/en/alter-table/
 */
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import type { Quoter } from '../../../core/rule.js';
import { pinnedStatement } from '../plan/statement.js';

export function alterTable(q: Quoter, table: string, action: string): string {
  return `ALTER TABLE ${q.table(table)} ${action}`;
}

/** A statement that does nothing: where PostgreSQL has a step MySQL does not need. */
const NOTHING = 'SELECT 1';

export const constraints: SafeSql['constraints'] = {
  // Checked against existing rows as it is added: there is no NOT VALID to defer it.
  addNotValid: (q, table, name, body) => alterTable(q, table, `ADD CONSTRAINT ${q.ident(name)} ${body}`),
  validate: () => NOTHING,
  drop: (q, table, name, options = {}) =>
    alterTable(q, table, `DROP CONSTRAINT ${options.ifExists ? 'IF EXISTS ' : ''}${q.ident(name)}`),
  // A unique index is the constraint already; MySQL cannot turn one into the primary key.
  attachIndex: (_q, _table, _name, kind) => {
    if (kind === 'UNIQUE') return NOTHING;
    throw new Error('MySQL cannot turn a unique index into the primary key: ADD PRIMARY KEY builds its own');
  },
};

/** In-place and without a lock on writes: what CONCURRENTLY is to PostgreSQL. */
const ONLINE = ' ALGORITHM=INPLACE LOCK=NONE';

export const indexes: SafeSql['indexes'] = {
  create(q, index) {
    return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${q.ident(index.name)} ON ${q.table(index.table)} (${index.columns.join(', ')})${index.concurrently ? ONLINE : ''}`;
  },
  drop() {
    throw new Error(
      "MySQL's DROP INDEX names its table: plan steps drop indexes with ALTER TABLE … DROP INDEX (safeSql.online.alter)",
    );
  },
  concurrentIndex: (ast) => pinnedStatement(ast, null, { algorithm: 'INPLACE', lock: 'NONE' }),
  concurrentFromDefinition: (definition) =>
    /^ALTER TABLE/i.test(definition)
      ? `${definition}, ALGORITHM=INPLACE, LOCK=NONE`
      : `${definition}${ONLINE}`,
};
