/**
 * Column clauses on InnoDB: ADD/DROP/RENAME COLUMN, and the parts MODIFY/CHANGE lower to (type,
 * NULL/NOT NULL, default, AUTO_INCREMENT, generated expression), each compared with the column
 * as the catalog has it so the parts a MODIFY only restates are no-ops.
 *
 * MariaDB: measured on 10.11 (test/dialects/mysql/facts/cases/columns.ts), following
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/ and
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/.
 * MySQL: the manual's "Column Operations" and "Generated Column Operations" tables (MANUAL).
 */
import type { ChangeOf } from '../../../core/change.js';
import type { FactContext } from '../../../core/facts.js';
import type { Table } from '../../../core/snapshot.js';
import { columnOf, findColumn, hasFulltext, rowFormat } from './catalog.js';
import { perRowDefault } from './defaults.js';
import { copy, instant, noop, rebuild, WORDS, type Operation } from './operation.js';
import { mysqlSince, type Server } from './server.js';
import { reorder, typeChange } from './types.js';

const MANUAL =
  'https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-column-operations';

export function addColumn(change: ChangeOf<'add column'>, ctx: FactContext, server: Server): Operation {
  const ev = server.evidence;
  const table = ctx.table(change.table);
  const col = change.column;
  if (table?.columns.some((c) => c.name.toLowerCase() === col.name.toLowerCase()) && change.ifNotExists)
    return noop(ev);
  if (col.generated?.stored)
    // MariaDB measured; MySQL manual "Adding a STORED column": In Place No, Rebuilds Yes.
    return copy(ev, [`a STORED generated column is computed for every row: ${WORDS.copy}`]);
  if (col.generated)
    // MySQL manual "Adding a VIRTUAL column": Instant Yes.
    return instant(ev, ['a VIRTUAL generated column is computed when read: instant'], { kind: 'row' });
  const perRow = perRowDefault(col, table);
  if (perRow)
    // MariaDB 10.11: measured (DEFAULT (uuid()) copies, INPLACE and INSTANT refused). MySQL:
    // the manual allows INSTANT only for defaults it can store once; assumed the same.
    return copy(ev, [`${perRow}: ${WORDS.copy}`]);
  if (col.identity)
    // MariaDB: "Adding an auto-increment column requires a lock" (LOCK=SHARED, measured);
    // MySQL manual "Adding a column": concurrent DML not permitted for AUTO_INCREMENT.
    return rebuild(
      ev,
      ['an AUTO_INCREMENT column numbers every row: the table is rebuilt with LOCK=SHARED, writes wait'],
      {
        lock: 'SHARED',
      },
    );
  if (col.checks.length > 0)
    return copy(ev, [`its CHECK is verified against every row: ${WORDS.copy}`], {
      validates: ['check'],
      rejects: true,
    });
  if (col.primaryKey || col.unique)
    // MariaDB measured: ADD COLUMN … UNIQUE rebuilds the table in place (not instant + index).
    return rebuild(
      ev,
      [
        `the new column's ${col.primaryKey ? 'PRIMARY KEY' : 'UNIQUE'} index is built by rebuilding the table in place`,
      ],
      {
        buildsIndex: true,
        rejects: col.primaryKey,
      },
    );
  const notes = [
    ...(col.notNull && !col.default ? ["existing rows get the type’s implicit default (0, '', …)"] : []),
  ];
  if (server.mariadb) {
    // Not instant with InnoDB's hidden FTS_DOC_ID (a FULLTEXT index) or ROW_FORMAT=COMPRESSED:
    // measured, rebuild in place; with FULLTEXT only under LOCK=SHARED ("Fulltext index
    // creation requires a lock").
    if (hasFulltext(table))
      return rebuild(
        ev,
        ['the table has a FULLTEXT index (hidden FTS_DOC_ID): not instant; ' + WORDS.rebuildShared, ...notes],
        {
          lock: 'SHARED',
        },
      );
    if (rowFormat(table) === 'compressed')
      return rebuild(ev, ['ROW_FORMAT=COMPRESSED: not instant; ' + WORDS.rebuild, ...notes]);
    return instant(ev, [`${WORDS.instant}, at any position (MariaDB 10.4+)`, ...notes], { kind: 'row' });
  }
  return mysqlAddColumn(change, table, server, notes);
}

/**
 * Manual, "Adding a column": Instant Yes* (8.0.12+; last position only before 8.0.29), In
 * Place Yes, Rebuilds No*; INSTANT not with a FULLTEXT index or ROW_FORMAT=COMPRESSED; each
 * instant ADD/DROP COLUMN adds a row version, 64 at most (INNODB_TABLES.TOTAL_ROW_VERSIONS),
 * after which only a rebuild is possible. ALGORITHM=INPLACE rebuilds the table.
 */
function mysqlAddColumn(
  change: ChangeOf<'add column'>,
  table: Table | undefined,
  server: Server,
  notes: string[],
): Operation {
  const ev = server.evidence;
  const last =
    !change.position ||
    ('after' in change.position &&
      table?.columns.at(-1)?.name.toLowerCase() === change.position.after.toLowerCase());
  const blocked = hasFulltext(table)
    ? 'the table has a FULLTEXT index'
    : rowFormat(table) === 'compressed'
      ? 'ROW_FORMAT=COMPRESSED'
      : !mysqlSince(server, 12)
        ? 'before MySQL 8.0.12'
        : !last && !mysqlSince(server, 29)
          ? 'not the last column before MySQL 8.0.29'
          : null;
  if (blocked) return rebuild(ev, [`${blocked}: not instant; ${WORDS.rebuild} (${MANUAL})`, ...notes]);
  return instant(
    ev,
    [
      `${WORDS.instant} (${MANUAL})`,
      'each instant ADD/DROP COLUMN adds a row version; after 64 MySQL refuses INSTANT (ER_INNODB_MAX_ROW_VERSION) and rebuilds instead',
      ...notes,
    ],
    { kind: 'row', inplaceRebuilds: true },
  );
}

export function dropColumn(change: ChangeOf<'drop column'>, ctx: FactContext, server: Server): Operation {
  const ev = server.evidence;
  const table = ctx.table(change.table);
  const column = findColumn(table, change.column);
  if (!column && change.ifExists && table) return noop(ev);
  const pk = table?.primaryKey?.columns.some((c) => c.toLowerCase() === change.column.toLowerCase());
  if (pk) return rebuild(ev, ['drops a primary key column: the table is rebuilt on a new key']);
  if (column?.generatedKind === 'virtual')
    return instant(ev, ['a VIRTUAL column has no stored data: instant'], { kind: 'row' });
  if (server.mariadb) {
    if (hasFulltext(table))
      return rebuild(
        ev,
        ['the table has a FULLTEXT index (hidden FTS_DOC_ID): not instant; ' + WORDS.rebuildShared],
        { lock: 'SHARED' },
      );
    if (rowFormat(table) === 'compressed')
      return rebuild(ev, ['ROW_FORMAT=COMPRESSED: not instant; ' + WORDS.rebuild]);
    // MariaDB 10.4+ (MDEV-15562): the column is only hidden; its bytes stay until a rebuild.
    return instant(ev, [`${WORDS.instant}; the dropped data stays on disk until the next rebuild`], {
      kind: 'row',
    });
  }
  // Manual, "Dropping a column": Instant Yes* (8.0.29+), In Place Yes, Rebuilds Yes.
  if (!mysqlSince(server, 29) || hasFulltext(table) || rowFormat(table) === 'compressed')
    return rebuild(ev, [`${WORDS.rebuild} (${MANUAL})`]);
  return instant(ev, [`${WORDS.instant} (MySQL 8.0.29+, ${MANUAL})`, 'counts toward the 64 row versions'], {
    kind: 'row',
    inplaceRebuilds: true,
  });
}

export function renameColumn(change: ChangeOf<'rename column'>, server: Server): Operation {
  if (change.column === change.newName) return noop(server.evidence);
  // MariaDB measured: instant. Manual, "Renaming a column": Instant Yes* (8.0.28+), else In
  // Place, metadata only.
  if (server.mariadb || mysqlSince(server, 28))
    return instant(server.evidence, ['renames in the definition only: instant']);
  return {
    ...instant(server.evidence, [`renames in the definition only, in place (${MANUAL})`]),
    algorithm: 'INPLACE',
  };
}

export function alterType(
  change: ChangeOf<'alter column type'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const table = ctx.table(change.table);
  const column = columnOf(table, change.column, ctx.statementChanges);
  if (!column)
    return copy(server.evidence, [
      `${change.column} is not in the schema: taken as a type change, ${WORDS.copy}`,
    ]);
  const op = typeChange(change, column, table, server);
  if (!op.noop || !change.position) return op;
  return moves(change, table) ? reorder(server) : op;
}

/** FIRST/AFTER puts the column somewhere else than where it is. */
function moves(change: ChangeOf<'alter column type'>, table: Table | undefined): boolean {
  const names = (table?.columns ?? []).map((c) => c.name.toLowerCase());
  const at = names.indexOf(change.column.toLowerCase());
  if (!change.position || at < 0) return false;
  if ('first' in change.position) return at !== 0;
  return names.indexOf(change.position.after.toLowerCase()) !== at - 1;
}

export function nullability(
  change: ChangeOf<'set not null'> | ChangeOf<'drop not null'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const ev = server.evidence;
  const table = ctx.table(change.table);
  const column = columnOf(table, change.column, ctx.statementChanges);
  const toNotNull = change.kind === 'set not null';
  if (column && column.nullable !== toNotNull) return noop(ev);
  if (toNotNull)
    // MariaDB measured: rebuild in place, writes go on; fails on the first NULL ("Data
    // truncated"). Manual, "Making a column NOT NULL": In Place Yes*, Rebuilds Yes*.
    return rebuild(ev, [`NOT NULL: ${WORDS.rebuild}; fails if any row holds NULL`], {
      scans: true,
      rejects: true,
      validates: ['not null'],
    });
  // MariaDB: instant only with ROW_FORMAT=REDUNDANT (measured). Manual, "Making a column NULL":
  // In Place Yes, Rebuilds Yes*.
  if (server.mariadb && rowFormat(table) === 'redundant')
    return instant(ev, ['NULL allowed: instant with ROW_FORMAT=REDUNDANT'], { kind: 'innodb' });
  return rebuild(ev, [`NULL allowed: ${WORDS.rebuild}`]);
}
