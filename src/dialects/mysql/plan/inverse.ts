/**
 * MySQL/MariaDB rollbacks: SQL that undoes one Change, read off the table as it was just before
 * it (old definitions, positions, index and constraint definitions). Where PostgreSQL's spelling
 * (src/planner/inverse.ts) also runs here (DROP TABLE IF EXISTS, DROP VIEW IF EXISTS, ALTER
 * TABLE … RENAME TO) the answer is undefined and the planner's is used.
 */
import type { Change } from '../../../core/change.js';
import type { ChangeInverse } from '../../../core/dialect/language.js';
import type { Quoter } from '../../../core/rule.js';
import type { Column, Table } from '../../../core/snapshot.js';
import { addIndexClause, columnDefinition } from './definition.js';

const LOST: ChangeInverse = { sql: [], reversible: false };

/** `FIRST` or `AFTER <the column before it>`: where `column` stands in `table`. */
export function positionOf(q: Quoter, table: Table, column: string): string {
  const at = table.columns.findIndex((c) => c.name === column);
  const before = at > 0 ? table.columns[at - 1] : undefined;
  return before ? `AFTER ${q.ident(before.name)}` : 'FIRST';
}

/** `CHANGE <current> <old name> <old definition> <old position>`: the column as it was. */
export function restoreColumn(q: Quoter, table: Table, current: string, old: Column): string {
  return `CHANGE ${q.ident(current)} ${q.ident(old.name)} ${columnDefinition(q, old)} ${positionOf(q, table, old.name)}`;
}

export function mysqlInverse(
  q: Quoter,
  change: Change,
  tableOf: (name: string) => Table | undefined,
): ChangeInverse | undefined {
  const table = 'table' in change && typeof change.table === 'string' ? change.table : null;
  const t = table ? tableOf(table) : undefined;
  const alter = (...clauses: string[]) => `ALTER TABLE ${q.table(table ?? '')} ${clauses.join(', ')}`;
  const column = (name: string) => t?.columns.find((c) => c.name === name);
  const restore = (name: string, current = name): ChangeInverse => {
    const old = column(name);
    return t && old ? { sql: [alter(restoreColumn(q, t, current, old))], reversible: true } : LOST;
  };
  switch (change.kind) {
    case 'add column':
      return { sql: [alter(`DROP COLUMN ${q.ident(change.column.name)}`)], reversible: true };
    case 'drop column': {
      const old = column(change.column);
      if (!t || !old) return LOST;
      // The column comes back empty: its data is gone.
      return {
        sql: [
          alter(`ADD COLUMN ${q.ident(old.name)} ${columnDefinition(q, old)} ${positionOf(q, t, old.name)}`),
        ],
        reversible: false,
      };
    }
    case 'alter column type':
    case 'set not null':
    case 'drop not null':
      return restore(change.column);
    case 'set default':
    case 'drop default': {
      const old = column(change.column)?.default;
      if (!t) return LOST;
      return old === undefined || old === null
        ? { sql: [alter(`ALTER COLUMN ${q.ident(change.column)} DROP DEFAULT`)], reversible: true }
        : restore(change.column);
    }
    case 'rename column': {
      const old = column(change.column);
      if (t && old) return restore(change.column, change.newName);
      // Without the catalog: RENAME COLUMN (MySQL 8.0+, MariaDB 10.5.2+) needs no definition.
      return {
        sql: [alter(`RENAME COLUMN ${q.ident(change.newName)} TO ${q.ident(change.column)}`)],
        reversible: true,
      };
    }
    case 'create index': {
      // Unnamed: MySQL names an index after its first column (numbered when that name is taken).
      const [first] = change.index.columnNames;
      const owner = tableOf(change.index.table);
      const taken = (n: string) =>
        owner?.indexes.some((i) => i.name.toLowerCase() === n.toLowerCase()) ?? false;
      const name = change.index.name ?? (first !== undefined && !taken(first) ? first : null);
      if (!name) return LOST;
      return {
        sql: [`ALTER TABLE ${q.table(change.index.table)} DROP INDEX ${q.ident(name)}`],
        reversible: true,
      };
    }
    case 'drop index': {
      const owner = change.table ? tableOf(change.table) : undefined;
      const clauses = change.indexes.map((index) => {
        const bare = index.slice(index.indexOf('.') + 1);
        const found = owner?.indexes.find((i) => i.name === bare);
        return found ? addIndexClause(q, found) : null;
      });
      return change.table && clauses.every((c): c is string => c !== null)
        ? { sql: [`ALTER TABLE ${q.table(change.table)} ${clauses.join(', ')}`], reversible: true }
        : LOST;
    }
    case 'rename index': {
      const bare = change.index.slice(change.index.indexOf('.') + 1);
      return {
        sql: [alter(`RENAME INDEX ${q.ident(change.newName)} TO ${q.ident(bare)}`)],
        reversible: true,
      };
    }
    case 'add constraint':
      return addedConstraint(q, change, t, alter);
    case 'drop constraint':
      return droppedConstraint(q, change.name, t, alter);
    case 'alter table other': {
      if (!t) return LOST;
      if (/^ENGINE=/i.test(change.subtype) && t.engine)
        return { sql: [alter(`ENGINE=${t.engine}`)], reversible: true };
      return LOST;
    }
    case 'create trigger': {
      const schema = change.table.slice(0, change.table.indexOf('.'));
      return { sql: [`DROP TRIGGER IF EXISTS ${q.table(`${schema}.${change.name}`)}`], reversible: true };
    }
    case 'create table':
    case 'create view':
    case 'rename table':
      return undefined;
    default:
      return undefined;
  }
}

function addedConstraint(
  q: Quoter,
  change: Extract<Change, { kind: 'add constraint' }>,
  t: Table | undefined,
  alter: (...clauses: string[]) => string,
): ChangeInverse {
  const c = change.constraint;
  if (c.type === 'primary key') return { sql: [alter('DROP PRIMARY KEY')], reversible: true };
  if (!c.name) return LOST;
  const name = q.ident(c.name);
  if (c.type === 'check') return { sql: [alter(`DROP CONSTRAINT ${name}`)], reversible: true };
  if (c.type === 'unique') return { sql: [alter(`DROP INDEX ${name}`)], reversible: true };
  if (c.type === 'foreign key') {
    // Without an index starting with its columns, InnoDB made one, named after the key: it stays
    // when the key goes (https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html).
    const indexed = t?.indexes.some((i) => c.columns.every((col, k) => i.columns[k] === col)) ?? true;
    return {
      sql: [alter(`DROP FOREIGN KEY ${name}`), ...(indexed ? [] : [alter(`DROP INDEX ${name}`)])],
      reversible: true,
    };
  }
  return LOST;
}

function droppedConstraint(
  q: Quoter,
  name: string,
  t: Table | undefined,
  alter: (...clauses: string[]) => string,
): ChangeInverse {
  if (!t) return LOST;
  if (name === 'PRIMARY' && t.primaryKey)
    return {
      sql: [alter(`ADD PRIMARY KEY (${t.primaryKey.columns.map(q.ident).join(', ')})`)],
      reversible: true,
    };
  const check = t.checkConstraints.find((c) => c.name === name);
  if (check) return { sql: [alter(`ADD CONSTRAINT ${q.ident(name)} ${check.definition}`)], reversible: true };
  const fk = t.foreignKeys.find((f) => f.name === name);
  if (fk) {
    const ref = `${q.ident(fk.referencedSchema)}.${q.ident(fk.referencedTable)}`;
    return {
      sql: [
        alter(
          `ADD CONSTRAINT ${q.ident(fk.name)} FOREIGN KEY (${fk.columns.map(q.ident).join(', ')}) REFERENCES ${ref} (${fk.referencedColumns.map(q.ident).join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`,
        ),
      ],
      reversible: true,
    };
  }
  const index = t.indexes.find((i) => i.name === name);
  const clause = index ? addIndexClause(q, index) : null;
  return clause ? { sql: [alter(clause)], reversible: true } : LOST;
}
