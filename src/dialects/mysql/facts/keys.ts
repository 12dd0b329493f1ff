/**
 * Indexes on InnoDB: ADD/DROP/RENAME INDEX, CREATE INDEX (FULLTEXT, SPATIAL), PRIMARY KEY;
 * constraints.ts has FOREIGN KEY, CHECK and the DROP of either.
 *
 * MariaDB: measured on 10.11 (test/dialects/mysql/facts/cases/keys.ts); pages:
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-nocopy-alter-algorithm/ and
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/.
 * MySQL: the manual's "Index Operations" and "Primary Key Operations" tables (MANUAL).
 */
import type { ChangeOf, ConstraintSpec } from '../../../core/change.js';
import type { FactContext } from '../../../core/facts.js';
import type { Table } from '../../../core/snapshot.js';
import { findColumn, hasFulltext } from './catalog.js';
import { instant, nocopy, noop, rebuild, WORDS, type Operation } from './operation.js';
import type { Server } from './server.js';

const MANUAL = 'https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html';

export function createIndex(change: ChangeOf<'create index'>, ctx: FactContext, server: Server): Operation {
  const ev = server.evidence;
  const { index } = change;
  const table = ctx.table(index.table);
  if (index.ifNotExists && index.name && table?.indexes.some((i) => i.name === index.name)) return noop(ev);
  if (index.method === 'fulltext') {
    // The first FULLTEXT index adds the hidden FTS_DOC_ID column: the table is rebuilt; later
    // ones are built without a rebuild. Both only with LOCK=SHARED ("Fulltext index creation
    // requires a lock"): measured. Manual, "Adding a FULLTEXT index": In Place Yes*, Rebuilds
    // No* (Yes without an FTS_DOC_ID column), Concurrent DML No.
    if (!hasFulltext(table))
      return rebuild(
        ev,
        [`the first FULLTEXT index adds InnoDB's hidden FTS_DOC_ID column: ${WORDS.rebuildShared}`],
        {
          lock: 'SHARED',
          buildsIndex: true,
        },
      );
    return nocopy(
      server.mariadb,
      ev,
      ['a FULLTEXT index is built with LOCK=SHARED: writes wait for the whole build, reads go on'],
      {
        lock: 'SHARED',
        buildsIndex: true,
      },
    );
  }
  if (index.method === 'spatial')
    // Measured: built in place, LOCK=SHARED. Manual, "Adding a SPATIAL index": Concurrent DML No.
    return nocopy(
      server.mariadb,
      ev,
      ['a SPATIAL index is built with LOCK=SHARED: writes wait for the whole build, reads go on'],
      {
        lock: 'SHARED',
        buildsIndex: true,
      },
    );
  // Measured: NOCOPY, LOCK=NONE. Manual, "Creating or adding a secondary index": In Place Yes,
  // Rebuilds No, Concurrent DML Yes.
  return nocopy(
    server.mariadb,
    ev,
    [
      `builds the index by reading the whole table; ${index.unique ? 'fails on duplicate values; ' : ''}reads and writes go on`,
    ],
    {
      buildsIndex: true,
      rejects: index.unique,
    },
  );
}

export function dropIndex(server: Server): Operation {
  // MariaDB: NOCOPY (ALGORITHM=INSTANT is refused with "Reason: DROP INDEX"), nothing written:
  // measured. Manual, "Dropping an index": In Place Yes, metadata only.
  return nocopy(server.mariadb, server.evidence, ['drops the index: quick whatever the table size'], {
    kind: 'frm',
  });
}

export function renameIndex(server: Server): Operation {
  // MariaDB: ALGORITHM=INSTANT accepted, measured. Manual, "Renaming an index": In Place, metadata only.
  if (server.mariadb) return instant(server.evidence, ['renames in the definition only: instant']);
  return {
    ...instant(server.evidence, [`renames in the definition only (${MANUAL})`]),
    algorithm: 'INPLACE',
  };
}

export function addPrimaryKey(
  c: Extract<ConstraintSpec, { type: 'primary key' }>,
  table: Table | undefined,
  ctx: FactContext,
  server: Server,
): Operation {
  const ev = server.evidence;
  const dropsOld = ctx.statementChanges?.some(
    (s) => s.kind === 'drop constraint' && s.name.toUpperCase() === 'PRIMARY',
  );
  const nullable = c.columns.filter((n) => findColumn(table, n)?.nullable);
  // Without a primary key InnoDB clusters the table on its first UNIQUE index over NOT NULL
  // columns; a primary key on exactly those columns then changes nothing on disk (measured:
  // same table id, the key built beside it).
  const clustered =
    !table?.primaryKey &&
    table?.indexes.find(
      (i) => i.unique && !i.primary && i.columns.every((n) => findColumn(table, n)?.nullable === false),
    );
  if (!dropsOld && clustered && sameColumns(clustered.columns, c.columns))
    return nocopy(
      server.mariadb,
      ev,
      [`${clustered.name} already orders the table: the key is built in place, reads and writes go on`],
      {
        buildsIndex: true,
        rejects: true,
      },
    );
  // Measured: INPLACE with rebuild, LOCK=NONE. Manual, "Adding a primary key": In Place Yes*,
  // Rebuilds Yes*, Concurrent DML Yes (also "Dropping a primary key and adding another").
  return rebuild(
    ev,
    [
      `the table is re-clustered on the new key: ${WORDS.rebuild}; fails on duplicates${nullable.length > 0 ? ` or NULLs (${nullable.join(', ')} become NOT NULL)` : ''}`,
    ],
    {
      buildsIndex: true,
      rejects: true,
      scans: nullable.length > 0,
      validates: nullable.length > 0 ? ['not null'] : [],
    },
  );
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]?.toLowerCase());
}
