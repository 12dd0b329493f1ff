import type { Change } from '../core/change.js';
import type { SafeSql } from '../core/dialect/safe-sql.js';
import { defineRule, type Quoter } from '../core/rule.js';
import { ended } from './sql.js';

/**
 * CASCADE removes whatever depends on the object without saying what: DROP … CASCADE drops
 * views, foreign keys, defaults and, for types and schemas, whole columns and tables;
 * TRUNCATE … CASCADE empties every table with a foreign key to the target, transitively.
 * Without it PostgreSQL refuses and names the dependents, which is the review you want.
 * https://www.postgresql.org/docs/current/ddl-depend.html
 */
export default defineRule({
  meta: {
    id: 'cascade',
    category: 'breaking',
    severity: 'error',
    description: 'DROP … CASCADE / TRUNCATE … CASCADE silently removes or empties dependent objects',
    kinds: [
      'drop table',
      'drop column',
      'drop constraint',
      'drop index',
      'drop view',
      'drop type',
      'drop schema',
      'truncate',
    ],
    scalesWithSize: false,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, q, statement, sql }) {
    if (!sql) return [];
    if (!('cascade' in change) || !change.cascade) return [];
    const truncate = change.kind === 'truncate';
    return [
      {
        message: truncate
          ? `TRUNCATE … CASCADE also empties every table with a foreign key to ${change.tables.join(', ')}, and the tables referencing those, without naming them.`
          : `${change.kind === 'drop view' && change.materialized ? 'DROP MATERIALIZED VIEW' : change.kind.toUpperCase()} … CASCADE also drops everything that depends on it (views, foreign keys, and for types and schemas whole columns and tables), without naming them.`,
        safeAlternative: [
          `-- ${truncate ? 'name every table to empty' : 'drop the dependents explicitly, by name'}; without CASCADE PostgreSQL lists any that remain:`,
          withoutCascade(change, q, sql, statement.sql),
        ].join('\n'),
        // Dependents of a table created in this migration are new too: nothing to lose.
        ...(change.kind === 'drop table' || truncate ? { table: change.tables[0] } : {}),
      },
    ];
  },
});

function withoutCascade(change: Change, q: Quoter, sql: SafeSql, asWritten: string): string {
  if (change.kind === 'drop column')
    return ended(
      sql.alterTable(
        q,
        change.table,
        `DROP COLUMN ${change.ifExists ? 'IF EXISTS ' : ''}${q.ident(change.column)}`,
      ),
    );
  if (change.kind === 'drop constraint')
    return ended(
      sql.alterTable(
        q,
        change.table,
        `DROP CONSTRAINT ${change.ifExists ? 'IF EXISTS ' : ''}${q.ident(change.name)}`,
      ),
    );
  // DROP … and TRUNCATE … end with their CASCADE.
  return `${asWritten.trim().replace(/\s+CASCADE$/i, '')};`;
}
