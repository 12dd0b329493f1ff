/**
 * PostgreSQL facts: the locks each Change takes, whether it rewrites or scans the table, and
 * whether it may run in a transaction block, per server major (10 to 18).
 *
 * Sources: "Explicit Locking", table-level lock modes
 * https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES, the ALTER TABLE
 * page (each subcommand's lock level, "Notes" on rewrites)
 * https://www.postgresql.org/docs/current/sql-altertable.html, CREATE INDEX (CONCURRENTLY)
 * https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY,
 * REINDEX, VACUUM, CLUSTER, ALTER TYPE. Every fact is checked against real servers by
 * test/facts (locks from pg_locks, rewrites from relfilenode, scans from pg_stat_xact_user_tables).
 */
import { type ChangeFacts } from '../../core/analysis.js';
import type { Change } from '../../core/change.js';
import type { DialectFacts, FactContext } from '../../core/facts.js';
import { addColumnFacts, alterTypeFacts, dropColumnFacts, setNotNullFacts } from './facts-columns.js';
import { facts, lock } from './facts-common.js';
import {
  addConstraintFacts,
  dropConstraintFacts,
  dropIndexFacts,
  reindexFacts,
} from './facts-constraints.js';
import {
  alterOtherFacts,
  createTableFacts,
  defaultPartitionLock,
  defaultPartitionNote,
  dropTableFacts,
  lockTableFacts,
  RELATION_TYPES,
  truncateFacts,
} from './facts-tables.js';
import { addLock, hasIndexes, referencedTable, viewsDroppedWith, withPartitionLocks } from './relatives.js';

export { hasNotNullCheck } from './facts-columns.js';

export const postgresFacts: DialectFacts = { changeFacts };

export function changeFacts(change: Change, ctx: FactContext): ChangeFacts {
  return onForeignTable(change, withPartitionLocks(change, ownFacts(change, ctx), ctx));
}

/**
 * ALTER FOREIGN TABLE changes the catalog alone: the rows live on the remote server, so nothing
 * is read, rewritten or indexed here and no existing value is checked (measured on 15 and 18
 * with a foreign data wrapper that has no handler). The locks stay: ACCESS EXCLUSIVE throughout.
 * https://www.postgresql.org/docs/current/sql-alterforeigntable.html
 */
function onForeignTable(change: Change, facts: ChangeFacts): ChangeFacts {
  if (!('foreignTable' in change) || !change.foreignTable) return facts;
  return {
    ...facts,
    rewritesTable: false,
    scansTable: false,
    rebuildsIndexes: false,
    buildsIndex: false,
    rejectsExistingValues: false,
    validates: [],
    notes: ['a foreign table has no local rows: the change is catalog only here'],
  };
}

function ownFacts(change: Change, ctx: FactContext): ChangeFacts {
  switch (change.kind) {
    case 'add column':
      return addColumnFacts(change, ctx);
    case 'drop column':
      return dropColumnFacts(change, ctx);
    case 'set schema':
      // ALTER FUNCTION / TYPE … SET SCHEMA lock no table.
      return facts({
        locks: RELATION_TYPES.has(change.objectType) ? [lock(change.table, 'ACCESS EXCLUSIVE')] : [],
      });
    case 'rename column':
    case 'drop not null':
    case 'set default':
    case 'drop default':
    case 'add identity':
    case 'drop identity':
    case 'rename table':
    case 'rename constraint':
      return facts({ locks: [lock(change.table, 'ACCESS EXCLUSIVE')] });
    case 'alter column type':
      return alterTypeFacts(change, ctx);
    case 'set not null':
      return setNotNullFacts(change, ctx);
    case 'set generated expression':
      return change.expr
        ? facts({
            locks: [lock(change.table, 'ACCESS EXCLUSIVE')],
            rewritesTable: true,
            rebuildsIndexes: hasIndexes(change.table, ctx),
            notes: ['SET EXPRESSION recomputes every row'],
          })
        : facts({
            locks: [lock(change.table, 'ACCESS EXCLUSIVE')],
            notes: ['DROP EXPRESSION keeps the stored values'],
          });
    case 'add constraint':
      return addConstraintFacts(change, ctx);
    case 'validate constraint': {
      const fk = ctx.table(change.table)?.foreignKeys.find((f) => f.name === change.name);
      const locks = [lock(change.table, 'SHARE UPDATE EXCLUSIVE')];
      if (fk) locks.push(lock(referencedTable(fk), 'ROW SHARE'));
      return facts({
        locks,
        scansTable: true,
        rejectsExistingValues: true,
        validates: [fk ? 'foreign key' : 'check'],
        notes: ['VALIDATE reads every row but lets reads and writes go on'],
      });
    }
    case 'drop constraint':
      return dropConstraintFacts(change, ctx);
    case 'create index': {
      const { index } = change;
      if (index.concurrently) {
        return facts({
          locks: [lock(index.table, 'SHARE UPDATE EXCLUSIVE')],
          buildsIndex: true,
          rejectsExistingValues: index.unique,
          transactional: false,
          notes: ['CONCURRENTLY builds without blocking writes, in several transactions of its own'],
        });
      }
      // On a partitioned table each partition gets SHARE too and its own index (withPartitionLocks).
      return facts({
        locks: [lock(index.table, 'SHARE')],
        buildsIndex: !index.only,
        rejectsExistingValues: index.unique,
        notes: ['SHARE blocks writes for the whole build'],
      });
    }
    case 'drop index':
      return dropIndexFacts(change, ctx);
    case 'rename index': {
      // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE on the index since PostgreSQL 12.
      return facts({
        locks: [lock(change.index, ctx.major >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE')],
      });
    }
    case 'reindex':
      return reindexFacts(change, ctx);
    case 'create view':
      // OR REPLACE locks the view it replaces; a view that does not exist yet is simply created.
      return facts({
        locks: [
          ...(change.orReplace && !change.materialized && ctx.relationExists(change.view) !== false
            ? [lock(change.view, 'ACCESS EXCLUSIVE')]
            : []),
          ...change.reads.map((t) => lock(t, 'ACCESS SHARE')),
        ],
        scansTable: change.materialized,
      });
    case 'drop view': {
      // CASCADE drops the views built on these too. IF EXISTS of a view that is not there locks
      // nothing (one the migration created is locked, and isNew says nobody waits on it).
      const locks = change.views
        .filter((v) => ctx.relationExists(v) !== false)
        .map((v) => lock(v, 'ACCESS EXCLUSIVE'));
      if (change.cascade)
        for (const v of change.views)
          for (const dependent of viewsDroppedWith(v, ctx)) addLock(locks, dependent, 'ACCESS EXCLUSIVE');
      return facts({ locks });
    }
    case 'refresh materialized view':
      // Plain REFRESH fills new files, its indexes included (assumed to exist: the snapshot does
      // not list a materialized view's indexes to facts); CONCURRENTLY merges the changes in place.
      // Either runs the view's query: ACCESS SHARE on what it reads.
      // https://www.postgresql.org/docs/current/sql-refreshmaterializedview.html
      return facts({
        locks: [
          ...(ctx.relationExists(change.view) !== false
            ? [lock(change.view, change.concurrently ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE')]
            : []),
          ...ctx.viewSources(change.view).map((t) => lock(t, 'ACCESS SHARE')),
        ],
        rewritesTable: !change.concurrently,
        rebuildsIndexes: !change.concurrently,
        scansTable: true,
      });
    case 'add enum value':
      return facts({
        locks: [],
        // Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block.
        transactional: ctx.major >= 12,
        notes:
          ctx.major >= 12
            ? ['the new value cannot be used until the transaction commits']
            : ['cannot run inside a transaction block before PostgreSQL 12'],
      });
    case 'attach partition':
      return facts({
        locks: [
          // PostgreSQL 12 lowered ATTACH PARTITION's lock on the parent to SHARE UPDATE EXCLUSIVE.
          lock(change.table, ctx.major >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE'),
          lock(change.partition, 'ACCESS EXCLUSIVE'),
          ...defaultPartitionLock(change.table, ctx),
        ],
        scansTable: true,
        rejectsExistingValues: true,
        validates: ['partition bound'],
        notes: [
          'the partition is scanned to check its rows fit the bound, unless a matching CHECK constraint proves it',
          ...defaultPartitionNote(change.table, ctx),
        ],
      });
    case 'detach partition':
      if (change.concurrently) {
        // Two transactions: SHARE UPDATE EXCLUSIVE on both, wait for every transaction using the
        // parent, then ACCESS EXCLUSIVE on the partition (only the parent is spared).
        // https://www.postgresql.org/docs/14/sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION
        return facts({
          locks: [lock(change.table, 'SHARE UPDATE EXCLUSIVE'), lock(change.partition, 'ACCESS EXCLUSIVE')],
          transactional: false,
          notes: [
            'DETACH … CONCURRENTLY exists from PostgreSQL 14; queries on the partition itself still wait for its final ACCESS EXCLUSIVE',
          ],
        });
      }
      // The partition itself: SHARE UPDATE EXCLUSIVE on 10 and 11, ACCESS EXCLUSIVE from 12
      // (measured by test/facts; the docs name only the parent's lock).
      // https://www.postgresql.org/docs/12/sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION
      return facts({
        locks: [
          lock(change.table, 'ACCESS EXCLUSIVE'),
          lock(change.partition, ctx.major >= 12 ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE'),
          // The default partition's constraint changes with its siblings' bounds (no rows read).
          ...defaultPartitionLock(change.table, ctx).filter((l) => l.table !== change.partition),
        ],
      });
    case 'vacuum':
      if (change.full) {
        return facts({
          locks: change.tables.map((t) => lock(t, 'ACCESS EXCLUSIVE')),
          rewritesTable: true,
          rebuildsIndexes: true,
          transactional: false,
        });
      }
      // VACUUM cannot run inside a transaction block; ANALYZE alone can. ANALYZE reads a
      // random sample (300 × default_statistics_target pages at most), not every row.
      // https://www.postgresql.org/docs/current/sql-analyze.html#SQL-ANALYZE-NOTES
      return facts({
        locks: change.tables.map((t) => lock(t, 'SHARE UPDATE EXCLUSIVE')),
        scansTable: change.command === 'vacuum',
        transactional: change.command === 'analyze',
      });
    case 'cluster':
      return facts({
        locks: change.table ? [lock(change.table, 'ACCESS EXCLUSIVE')] : [],
        rewritesTable: true,
        rebuildsIndexes: true,
        transactional: change.table !== null,
      });
    case 'truncate':
      return truncateFacts(change, ctx);
    case 'lock table':
      return lockTableFacts(change, ctx);
    case 'dml':
      return facts({
        locks: [lock(change.table, 'ROW EXCLUSIVE')],
        scansTable: change.operation !== 'insert',
      });
    case 'create table':
      return createTableFacts(change, ctx);
    case 'drop table':
      return dropTableFacts(change, ctx);
    case 'create trigger':
      return facts({ locks: [lock(change.table, 'SHARE ROW EXCLUSIVE')] });
    case 'drop trigger':
      return facts({ locks: [lock(change.table, 'ACCESS EXCLUSIVE')] });
    case 'set trigger state':
      // The same for one trigger, ALL (the foreign keys' internal triggers included) and USER:
      // SHARE ROW EXCLUSIVE on this table only, on 10, 11, 15 and 18 (test/facts).
      return facts({ locks: [lock(change.table, 'SHARE ROW EXCLUSIVE')] });
    case 'alter table other':
      return alterOtherFacts(change);
    case 'comment':
      // COMMENT ON a relation or one of its columns takes SHARE UPDATE EXCLUSIVE on the relation
      // (CommentObject locks the object it comments on; checked in test/facts).
      // https://www.postgresql.org/docs/current/sql-comment.html
      return facts({ locks: change.table ? [lock(change.table, 'SHARE UPDATE EXCLUSIVE')] : [] });
    case 'grant':
      // GRANT / REVOKE look a relation up under ACCESS SHARE since PostgreSQL 18 (commit "Proper
      // object locking for GRANT/REVOKE", October 2024); 15 takes no lock on it (test/facts).
      // https://www.postgresql.org/message-id/attachment/166812/0001-Proper-object-locking-for-GRANT-REVOKE.patch
      return facts({ locks: ctx.major >= 18 ? change.relations.map((t) => lock(t, 'ACCESS SHARE')) : [] });
    case 'drop database':
      // https://www.postgresql.org/docs/current/sql-dropdatabase.html
      return facts({
        locks: [],
        transactional: false,
        notes: ['DROP DATABASE cannot run inside a transaction block and removes the whole database'],
      });
    case 'unknown':
      return facts({ locks: [], notes: ['not analyzed: schemapilot does not model this statement'] });
    default:
      return facts({ locks: [] });
  }
}
