/**
 * PostgreSQL facts of constraints and indexes: ADD CONSTRAINT (validation scans, the partner
 * table of a foreign key, unique index builds), DROP CONSTRAINT, DROP INDEX, REINDEX. Sources and
 * verification: facts.ts.
 */
import { type ChangeFacts } from '../../core/analysis.js';
import type { ChangeOf } from '../../core/change.js';
import type { FactContext } from '../../core/facts.js';
import type { LockMode } from '../../core/locks.js';
import { facts, lock } from './facts-common.js';
import { addLock, referencedTable } from './relatives.js';

export function addConstraintFacts(change: ChangeOf<'add constraint'>, ctx: FactContext): ChangeFacts {
  const c = change.constraint;
  const table = change.table;
  switch (c.type) {
    case 'check':
      return facts({
        locks: [lock(table, 'ACCESS EXCLUSIVE')],
        scansTable: !c.notValid,
        rejectsExistingValues: !c.notValid,
        validates: c.notValid ? [] : ['check'],
        notes: [
          c.notValid
            ? 'NOT VALID: existing rows are not checked'
            : 'every row is checked under ACCESS EXCLUSIVE',
        ],
      });
    case 'foreign key':
      return facts({
        locks: [lock(table, 'SHARE ROW EXCLUSIVE'), lock(c.references.table, 'SHARE ROW EXCLUSIVE')],
        scansTable: !c.notValid,
        rejectsExistingValues: !c.notValid,
        validates: c.notValid ? [] : ['foreign key'],
        notes: [
          c.notValid
            ? 'NOT VALID: existing rows are not checked'
            : 'every row is checked while writes to both tables wait',
        ],
      });
    case 'unique':
    case 'primary key': {
      const usingIndex = c.usingIndex !== null;
      const columns = ctx.table(table)?.columns ?? [];
      const nullable =
        c.type === 'primary key' &&
        c.columns.some((name) => columns.find((col) => col.name === name)?.nullable ?? true);
      return facts({
        locks: [lock(table, 'ACCESS EXCLUSIVE')],
        buildsIndex: !usingIndex,
        scansTable: nullable,
        validates: nullable ? ['not null'] : [],
        // A new index may meet duplicates; USING INDEX reuses one that is already unique.
        rejectsExistingValues: !usingIndex || nullable,
        notes: [
          usingIndex
            ? 'USING INDEX: the index exists, only the catalog changes'
            : 'the index is built while reads and writes wait',
          ...(nullable ? ['primary key columns are made NOT NULL, which scans the table'] : []),
        ],
      });
    }
    case 'exclusion':
      // After the build, every row is checked against the index in a second pass over the
      // table (IndexCheckExclusion in src/backend/catalog/index.c).
      // https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-EXCLUDE
      return facts({
        locks: [lock(table, 'ACCESS EXCLUSIVE')],
        buildsIndex: true,
        scansTable: true,
        rejectsExistingValues: true,
        notes: ['the exclusion index is built, then every row checked, while reads and writes wait'],
      });
    case 'not null': {
      const scans = !c.notValid && !ctx.isNew(table);
      return facts({
        locks: [lock(table, 'ACCESS EXCLUSIVE')],
        scansTable: scans,
        rejectsExistingValues: !c.notValid,
        validates: scans ? ['not null'] : [],
      });
    }
  }
}

export function dropIndexFacts(change: ChangeOf<'drop index'>, ctx: FactContext): ChangeFacts {
  const mode: LockMode = change.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
  const locks = change.indexes.map((index) => lock(ctx.tableOfIndex(index) ?? index, mode));
  return facts({ locks, transactional: !change.concurrently });
}

export function reindexFacts(change: ChangeOf<'reindex'>, ctx: FactContext): ChangeFacts {
  const table = change.target === 'index' ? (ctx.tableOfIndex(change.name) ?? change.name) : change.name;
  const single = change.target === 'index' || change.target === 'table';
  // Existing indexes get new files (rebuildsIndexes), no new index appears (buildsIndex).
  // https://www.postgresql.org/docs/current/sql-reindex.html
  if (change.concurrently) {
    return facts({
      locks: single ? [lock(table, 'SHARE UPDATE EXCLUSIVE')] : [],
      rebuildsIndexes: true,
      transactional: false,
    });
  }
  return facts({
    // REINDEX takes SHARE on the table (writes wait) and ACCESS EXCLUSIVE on the index itself,
    // so reads that would use the index wait too.
    locks: single ? [lock(table, 'SHARE')] : [],
    rebuildsIndexes: true,
    transactional: single,
  });
}

/**
 * DROP CONSTRAINT of a foreign key drops its RI triggers on the referenced table, under ACCESS
 * EXCLUSIVE there too (RemoveConstraintById; the docs give only the default). With CASCADE, a
 * primary key or unique constraint takes the foreign keys that reference it along, and their
 * tables' locks. https://www.postgresql.org/docs/current/sql-altertable.html
 */
export function dropConstraintFacts(change: ChangeOf<'drop constraint'>, ctx: FactContext): ChangeFacts {
  const table = ctx.table(change.table);
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  const fk = table?.foreignKeys.find((f) => f.name === change.name);
  if (fk) addLock(locks, referencedTable(fk), 'ACCESS EXCLUSIVE');
  const key =
    table?.primaryKey?.name === change.name
      ? table.primaryKey.columns
      : table?.uniqueConstraints.find((u) => u.name === change.name)?.columns;
  if (change.cascade && key) {
    const same = (columns: readonly string[]) =>
      columns.length === key.length && columns.every((c) => key.includes(c));
    for (const r of ctx.referencingForeignKeys(change.table))
      if (r.table !== change.table && same(r.foreignKey.referencedColumns))
        addLock(locks, r.table, 'ACCESS EXCLUSIVE');
  }
  return facts({ locks });
}
