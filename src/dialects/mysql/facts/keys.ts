/**
 * Indexes and constraints on InnoDB: ADD/DROP/RENAME INDEX, CREATE INDEX, PRIMARY KEY, UNIQUE,
 * FOREIGN KEY (foreign_key_checks decides), CHECK.
 *
 * MariaDB: measured on 10.11 (test/dialects/mysql/facts/cases/keys.ts); pages:
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-nocopy-alter-algorithm/ and
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/.
 * MySQL: the manual's "Index Operations", "Primary Key Operations" and "Foreign Key
 * Operations" tables (MANUAL).
 */
import type { ChangeOf, ConstraintSpec } from '../../../core/change.js';
import type { FactContext } from '../../../core/facts.js';
import type { Table } from '../../../core/snapshot.js';
import { findColumn, hasFulltext } from './catalog.js';
import { copy, instant, nocopy, noop, rebuild, WORDS, type Operation } from './operation.js';
import { mysqlSince, type Server } from './server.js';

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

/** DROP INDEX `PRIMARY` ON t drops the primary key. */
export function dropIndexStatement(
  change: ChangeOf<'drop index'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const primary = change.indexes.some((i) => i.slice(i.lastIndexOf('.') + 1).toUpperCase() === 'PRIMARY');
  if (primary && change.table)
    return dropConstraint(
      {
        kind: 'drop constraint',
        table: change.table,
        name: 'PRIMARY',
        ifExists: change.ifExists,
        cascade: false,
      },
      ctx,
      server,
    );
  return dropIndex(server);
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

export function addConstraint(
  change: ChangeOf<'add constraint'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const table = ctx.table(change.table);
  const c = change.constraint;
  switch (c.type) {
    case 'primary key':
      return addPrimaryKey(c, table, ctx, server);
    case 'unique':
      return nocopy(
        server.mariadb,
        server.evidence,
        [
          'builds the UNIQUE index by reading the whole table; fails on duplicate values; reads and writes go on',
        ],
        {
          buildsIndex: true,
          rejects: true,
        },
      );
    case 'foreign key':
      return addForeignKey(c, change.table, table, ctx, server);
    case 'check':
      return addCheck(c, server);
    default:
      return copy(server.evidence, [`${c.type} is not a MySQL constraint: taken as ${WORDS.copy}`]);
  }
}

function addPrimaryKey(
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

/** foreign_key_checks as the migration set it (on unless a SET turned it off). */
export function foreignKeyChecks(ctx: FactContext): boolean {
  const value = ctx.sessionVariable?.('foreign_key_checks');
  if (value === undefined) return true;
  return !/^[`'"]?(0|off|false)[`'"]?$/i.test(value.trim());
}

function addForeignKey(
  c: Extract<ConstraintSpec, { type: 'foreign key' }>,
  child: string,
  table: Table | undefined,
  ctx: FactContext,
  server: Server,
): Operation {
  const ev = server.evidence;
  const indexed =
    table?.indexes.some((i) => c.columns.every((n, k) => i.columns[k]?.toLowerCase() === n.toLowerCase())) ??
    false;
  if (!foreignKeyChecks(ctx)) {
    // Checks off: nothing is verified. Measured: INSTANT when an index on the columns exists,
    // else NOCOPY building one. Manual, "Adding a foreign key constraint": INPLACE only when
    // foreign_key_checks is disabled.
    const notes = ['foreign_key_checks=0: existing rows are NOT checked against the parent'];
    if (indexed)
      return server.mariadb
        ? instant(ev, notes, { kind: 'innodb' })
        : nocopy(false, ev, notes, { kind: 'frm' });
    return nocopy(server.mariadb, ev, [...notes, 'builds an index on the columns; reads and writes go on'], {
      buildsIndex: true,
    });
  }
  const parent = c.references.table === child ? [] : [c.references.table];
  // Checks on: COPY, measured, with SHARED_NO_WRITE on the parent too (its writers wait as
  // well). Manual: "Otherwise, only the COPY algorithm is supported."
  return copy(
    ev,
    [
      `foreign_key_checks=1: every row is checked against ${c.references.table} while ${WORDS.copy.replace('copies', 'the table is copied')}${parent.length ? `; writes to ${c.references.table} wait too` : ''}`,
    ],
    {
      validates: ['foreign key'],
      rejects: true,
      buildsIndex: !indexed,
      alsoLocks: parent,
    },
  );
}

function addCheck(c: Extract<ConstraintSpec, { type: 'check' }>, server: Server): Operation {
  const ev = server.evidence;
  if (c.notEnforced) return instant(ev, ['NOT ENFORCED: kept in the definition, no row is checked']);
  // MySQL before 8.0.16 parses CHECK and ignores it.
  if (!server.mariadb && !mysqlSince(server, 16))
    return noop(ev, ['MySQL before 8.0.16 parses CHECK and ignores it']);
  // MariaDB measured: COPY (INPLACE refused). MySQL: not in the manual's online DDL tables;
  // an enforced CHECK is verified against every row, taken to be the same COPY.
  return copy(ev, [`every row is checked while ${WORDS.copy.replace('copies', 'the table is copied')}`], {
    validates: ['check'],
    rejects: true,
  });
}

export function dropConstraint(
  change: ChangeOf<'drop constraint'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const ev = server.evidence;
  const table = ctx.table(change.table);
  const name = change.name;
  if (name.toUpperCase() === 'PRIMARY') {
    const adds = ctx.statementChanges?.some(
      (s) => s.kind === 'add constraint' && s.constraint.type === 'primary key',
    );
    // Measured: COPY ("Dropping a primary key is not allowed without also adding a new primary
    // key"); with a new one in the same ALTER, a rebuild in place. Manual: the same two rows.
    if (adds) return rebuild(ev, [`the primary key is replaced: ${WORDS.rebuild}`]);
    return copy(ev, [`dropping the primary key without adding another: ${WORDS.copy}`]);
  }
  const known = table !== undefined;
  if (
    table?.foreignKeys.some((f) => f.name === name) ||
    table?.checkConstraints.some((k) => k.name === name) ||
    (!known && !server.mariadb)
  ) {
    // MariaDB: ALGORITHM=INSTANT accepted for both (measured). Manual, "Dropping a foreign key
    // constraint": In Place Yes, metadata only.
    if (server.mariadb) return instant(ev, ['drops the constraint from the definition: instant']);
    return nocopy(false, ev, [`drops the constraint from the definition (${MANUAL})`], { kind: 'frm' });
  }
  if (table && !table.indexes.some((i) => i.name === name) && change.ifExists) return noop(ev);
  if (!known)
    return instant(ev, [
      'drops the constraint from the definition: instant (a UNIQUE key drops its index: quick)',
    ]);
  return dropIndex(server);
}
