/**
 * The rollback of a statement kept as it is: SQL that undoes each of its Changes, in reverse
 * order, using the schema as it was before the statement (for old defaults, old types, dropped
 * definitions). `reversible: false` when data or an unrecoverable object would be lost.
 */
import type { Change } from '../core/change.js';
import type { Quoter } from '../core/rule.js';
import type { Table } from '../core/snapshot.js';
import type { SafeSql } from '../core/dialect/safe-sql.js';

export interface Inverse {
  sql: string[];
  reversible: boolean;
}

const NONE: Inverse = { sql: [], reversible: true };
const LOST: Inverse = { sql: [], reversible: false };

export function inverseOf(
  change: Change,
  q: Quoter,
  alter: SafeSql['alterTable'],
  table: (name: string) => Table | undefined,
  unnamedIndexName: (table: string, columns: readonly string[]) => string,
): Inverse {
  const t = 'table' in change && typeof change.table === 'string' ? table(change.table) : undefined;
  const column = (name: string) => t?.columns.find((c) => c.name === name);
  switch (change.kind) {
    case 'create table':
      return { sql: [`DROP TABLE IF EXISTS ${q.table(change.table)}`], reversible: true };
    case 'add column':
      return {
        sql: [alter(q, change.table, `DROP COLUMN IF EXISTS ${q.ident(change.column.name)}`)],
        reversible: true,
      };
    case 'create index': {
      // Unnamed: the name the server gives it (the schema before the statement decides).
      const name = change.index.name ?? unnamedIndexName(change.index.table, change.index.columnNames);
      const schema = change.index.table.slice(0, change.index.table.indexOf('.'));
      return {
        sql: [
          `DROP INDEX ${change.index.concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${q.ident(schema)}.${q.ident(name)}`,
        ],
        reversible: true,
      };
    }
    case 'add constraint': {
      const c = change.constraint;
      const name = c.name;
      return name
        ? { sql: [alter(q, change.table, `DROP CONSTRAINT IF EXISTS ${q.ident(name)}`)], reversible: true }
        : LOST;
    }
    case 'validate constraint':
      return NONE;
    case 'set default':
    case 'drop default': {
      const old = column(change.column)?.default ?? null;
      const sql =
        old === null
          ? `ALTER COLUMN ${q.ident(change.column)} DROP DEFAULT`
          : `ALTER COLUMN ${q.ident(change.column)} SET DEFAULT ${old}`;
      return { sql: [alter(q, change.table, sql)], reversible: t !== undefined };
    }
    case 'set not null':
      return {
        sql: [alter(q, change.table, `ALTER COLUMN ${q.ident(change.column)} DROP NOT NULL`)],
        reversible: true,
      };
    case 'drop not null':
      return {
        sql: [alter(q, change.table, `ALTER COLUMN ${q.ident(change.column)} SET NOT NULL`)],
        reversible: true,
      };
    case 'alter column type': {
      const old = column(change.column);
      return old
        ? {
            sql: [alter(q, change.table, `ALTER COLUMN ${q.ident(change.column)} TYPE ${old.type}`)],
            reversible: true,
          }
        : LOST;
    }
    case 'rename column':
      return {
        sql: [
          alter(q, change.table, `RENAME COLUMN ${q.ident(change.newName)} TO ${q.ident(change.column)}`),
        ],
        reversible: true,
      };
    case 'rename table': {
      const schema = change.table.slice(0, change.table.indexOf('.'));
      const bare = change.table.slice(schema.length + 1);
      return {
        sql: [alter(q, `${schema}.${change.newName}`, `RENAME TO ${q.ident(bare)}`)],
        reversible: true,
      };
    }
    case 'rename index': {
      const schema = change.index.slice(0, change.index.indexOf('.'));
      const bare = change.index.slice(schema.length + 1);
      return {
        sql: [`ALTER INDEX ${q.ident(schema)}.${q.ident(change.newName)} RENAME TO ${q.ident(bare)}`],
        reversible: true,
      };
    }
    case 'rename constraint':
      return {
        sql: [
          alter(q, change.table, `RENAME CONSTRAINT ${q.ident(change.newName)} TO ${q.ident(change.name)}`),
        ],
        reversible: true,
      };
    case 'drop constraint': {
      const check = t?.checkConstraints.find((c) => c.name === change.name);
      if (check)
        return {
          sql: [alter(q, change.table, `ADD CONSTRAINT ${q.ident(check.name)} ${check.definition}`)],
          reversible: true,
        };
      const fk = t?.foreignKeys.find((f) => f.name === change.name);
      if (fk) {
        const ref = `${fk.referencedSchema}.${fk.referencedTable}`;
        return {
          sql: [
            alter(
              q,
              change.table,
              `ADD CONSTRAINT ${q.ident(fk.name)} FOREIGN KEY (${fk.columns.map(q.ident).join(', ')}) REFERENCES ${q.table(ref)} (${fk.referencedColumns.map(q.ident).join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate} NOT VALID`,
            ),
            alter(q, change.table, `VALIDATE CONSTRAINT ${q.ident(fk.name)}`),
          ],
          reversible: true,
        };
      }
      return LOST;
    }
    case 'create view':
      return {
        sql: [`DROP ${change.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} IF EXISTS ${q.table(change.view)}`],
        reversible: !change.orReplace,
      };
    case 'create enum':
      return { sql: [`DROP TYPE IF EXISTS ${q.table(change.type)}`], reversible: true };
    case 'create sequence':
      return { sql: [`DROP SEQUENCE IF EXISTS ${q.table(change.sequence)}`], reversible: true };
    case 'create trigger':
      return {
        sql: [`DROP TRIGGER IF EXISTS ${q.ident(change.name)} ON ${q.table(change.table)}`],
        reversible: true,
      };
    case 'set trigger state': {
      const which = change.name === null ? (change.group ?? 'ALL') : q.ident(change.name);
      return {
        sql: [alter(q, change.table, `${change.enabled ? 'DISABLE' : 'ENABLE'} TRIGGER ${which}`)],
        reversible: true,
      };
    }
    case 'set timeout':
    case 'set':
    case 'transaction':
    case 'select':
    case 'comment':
    case 'vacuum':
    case 'refresh materialized view':
    case 'reindex':
    case 'cluster':
    case 'lock table':
      // Nothing to undo: LOCK TABLE's lock ends with its transaction.
      return NONE;
    default:
      return LOST;
  }
}
