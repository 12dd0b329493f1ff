/**
 * Whole-table clauses and statements: ENGINE, ROW_FORMAT, CONVERT TO CHARACTER SET, OPTIMIZE,
 * table options, partition management, RENAME, TRUNCATE, DROP.
 *
 * MariaDB measured on 10.11 (test/dialects/mysql/facts/cases/tables.ts and cases/partitions.ts);
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/
 * ("ALTER TABLE … ENGINE=InnoDB", "OPTIMIZE TABLE", "ROW_FORMAT"). MySQL: the manual's "Table
 * Operations" and "Partitioning Operations" (MANUAL).
 */
import type { ChangeOf } from '../../../core/change.js';
import type { FactContext } from '../../../core/facts.js';
import type { Table } from '../../../core/snapshot.js';
import {
  bytesPerChar,
  hasFulltext,
  hashPartitioned,
  indexesOn,
  isString,
  parseType,
  rowFormat,
} from './catalog.js';
import { copy, instant, nocopy, noop, rebuild, WORDS, type Operation } from './operation.js';
import type { Server } from './server.js';
import { lengthPrefixFits } from './types.js';

const MANUAL =
  'https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-table-operations';

export function alterOther(
  change: ChangeOf<'alter table other'>,
  ctx: FactContext,
  server: Server,
): Operation {
  const ev = server.evidence;
  const table = ctx.table(change.table);
  const words = change.subtype.trim();
  const upper = words.toUpperCase();
  const option = /^([A-Z_ ]+?)\s*=\s*(.*)$/.exec(upper);
  if (
    upper === 'OPTIMIZE TABLE' ||
    upper === 'FORCE' ||
    (option?.[1] === 'ENGINE' && sameEngine(option[2], table))
  )
    return nullRebuild(upper.startsWith('OPTIMIZE') ? 'OPTIMIZE TABLE' : upper, table, server);
  if (option?.[1] === 'ENGINE') return copy(ev, [`moves the table to another storage engine: ${WORDS.copy}`]);
  if (upper.startsWith('CONVERT TO CHARACTER SET')) return convert(words, table, server);
  if (option && ['ROW_FORMAT', 'KEY_BLOCK_SIZE'].includes(option[1] ?? '')) {
    if (option[1] === 'ROW_FORMAT' && option[2]?.toLowerCase() === rowFormat(table) && table?.rowFormat)
      return nullRebuild(upper, table, server);
    // Measured: INPLACE with rebuild. Manual, "Changing the ROW_FORMAT"/"KEY_BLOCK_SIZE": In
    // Place Yes, Rebuilds Yes, Concurrent DML Yes.
    return rebuild(
      ev,
      [`${option[1]} rewrites every row: ${hasFulltext(table) ? WORDS.rebuildShared : WORDS.rebuild}`],
      {
        lock: hasFulltext(table) ? 'SHARED' : 'NONE',
      },
    );
  }
  if (option && ['COMMENT', 'AUTO_INCREMENT'].includes(option[1] ?? ''))
    // Measured: instant. Manual, "Changing the auto-increment value": In Place, no rebuild.
    // On MyISAM only COMMENT is (AUTO_INCREMENT=: "Try ALGORITHM=COPY", measured).
    return server.mariadb || option[1] === 'COMMENT'
      ? instant(ev, [`${option[1]} is kept in the definition: instant`], {
          kind: option[1] === 'COMMENT' ? 'frm' : 'innodb',
        })
      : nocopy(false, ev, [`AUTO_INCREMENT= changes a counter in memory and the definition (${MANUAL})`], {
          kind: 'frm',
        });
  if (option && /^(DEFAULT )?(CHARSET|CHARACTER SET|COLLATE)$/.test(option[1] ?? '')) {
    // Measured: instant; existing columns keep their character set. Manual, "Specifying a
    // character set": In Place Yes, Rebuilds Yes* (when the new encoding differs).
    if (server.mariadb)
      return instant(
        ev,
        ['only the default for new columns changes: existing columns keep theirs; instant'],
        {
          kind: 'innodb',
        },
      );
    return rebuild(ev, [`a new table default character set rebuilds the table in place (${MANUAL})`]);
  }
  if (/^ALTER (COLUMN|INDEX) .* (VISIBLE|INVISIBLE)$/.test(upper))
    return instant(ev, ['visibility is kept in the definition: instant']);
  if (/PARTITION/.test(upper)) return partitionOp(upper, table, server);
  return change.rewrites
    ? copy(ev, [`${words}: not modelled; taken as ${WORDS.copy}`])
    : instant(ev, [`${words}: not modelled; taken as a change of the definition only`]);
}

function sameEngine(engine: string | undefined, table: Table | undefined): boolean {
  return (engine ?? '').toLowerCase() === (table?.engine ?? 'innodb').toLowerCase();
}

/**
 * ENGINE=<same>, FORCE, OPTIMIZE TABLE: InnoDB rebuilds in place, LOCK=NONE (measured; with a
 * FULLTEXT index only LOCK=SHARED). Manual: "Performing a null rebuild", "Rebuilding with the
 * FORCE option", "Optimizing a table": In Place Yes*, Rebuilds Yes, Concurrent DML Yes.
 */
function nullRebuild(what: string, table: Table | undefined, server: Server): Operation {
  // MyISAM OPTIMIZE rewrites its data file under EXCLUSIVE: readers wait too (measured).
  if (table?.engine && table.engine.toLowerCase() !== 'innodb')
    return what === 'OPTIMIZE TABLE'
      ? copy(
          server.evidence,
          [
            `OPTIMIZE TABLE on ${table.engine} rewrites the table under an exclusive lock: reads and writes wait`,
          ],
          { lock: 'EXCLUSIVE' },
        )
      : copy(server.evidence, [`${what} on ${table.engine}: ${WORDS.copy}`]);
  if (hasFulltext(table))
    return rebuild(
      server.evidence,
      [
        `${what}: the table has a FULLTEXT index, so ${WORDS.rebuildShared.replace('rebuilds', 'it rebuilds')}`,
      ],
      { lock: 'SHARED' },
    );
  const brief =
    what === 'OPTIMIZE TABLE'
      ? ['it first opens the table with SHARED_NO_WRITE for a moment (measured), then recreates it online']
      : [];
  return rebuild(server.evidence, [`${what}: ${WORDS.rebuild}`, ...brief]);
}

/**
 * CONVERT TO CHARACTER SET: each string column is converted. Measured on 10.11: nothing to
 * convert is instant; utf8mb3 → utf8mb4 of CHAR/VARCHAR is instant while the length prefix
 * fits (types.ts); a new collation of an indexed column rebuilds that index (NOCOPY); anything
 * else (latin1 → utf8mb4, TEXT, ENUM) copies. Manual, "Converting a character set": In Place
 * No, Rebuilds Yes, Concurrent DML No.
 */
function convert(words: string, table: Table | undefined, server: Server): Operation {
  const ev = server.evidence;
  const m = /CHARACTER SET\s+(\w+)(?:\s+COLLATE\s+(\w+))?/i.exec(words);
  const charset = (m?.[1] ?? '').toLowerCase();
  const collation = m?.[2]?.toLowerCase();
  if (!server.mariadb)
    return copy(ev, [`converts every string column: ${WORDS.copy} (${MANUAL})`], { rejects: true });
  if (!table) return copy(ev, [`converts every string column: ${WORDS.copy}`], { rejects: true });
  let reindex: string[] = [];
  const copies: string[] = [];
  for (const c of table.columns) {
    const t = parseType(c.type);
    if (!isString(t.base) || !c.charset) continue;
    const from = c.charset.toLowerCase();
    const sameCollation =
      collation === undefined
        ? (c.collation?.toLowerCase().startsWith(`${charset}_`) ?? true)
        : c.collation?.toLowerCase() === collation;
    if (from === charset && sameCollation) continue;
    if (from === charset) {
      reindex = [...reindex, ...indexesOn(table, c.name)];
      continue;
    }
    const widens =
      (from === 'utf8mb3' || from === 'utf8') &&
      charset === 'utf8mb4' &&
      (t.base === 'varchar' || t.base === 'char');
    const len = t.args[0] ?? 1;
    if (widens && lengthPrefixFits(len * bytesPerChar(from), len * 4)) continue;
    copies.push(`${c.name} ${t.base} ${from}`);
  }
  if (copies.length > 0)
    return copy(ev, [`converts ${copies.join(', ')} to ${charset}: ${WORDS.copy}`], { rejects: true });
  if (reindex.length > 0)
    return nocopy(
      true,
      ev,
      [`new collation: indexes ${[...new Set(reindex)].join(', ')} rebuilt in place, reads and writes go on`],
      { buildsIndex: true },
    );
  return instant(
    ev,
    [
      `every string column is already ${charset}${collation ? ` ${collation}` : ''} or widens in place: instant`,
    ],
    { kind: 'innodb' },
  );
}

/**
 * Partition management, measured on a RANGE and a HASH partitioned table: ADD/DROP/TRUNCATE
 * PARTITION of RANGE/LIST take SHARED_NO_WRITE then EXCLUSIVE, readers and writers wait (DROP
 * and TRUNCATE discard the rows); REORGANIZE, COALESCE, REBUILD, REMOVE PARTITIONING, PARTITION
 * BY and ADD PARTITION of HASH/KEY copy rows (ALGORITHM=COPY, writers wait). Manual,
 * "Partitioning Operations": https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-partitioning
 */
function partitionOp(upper: string, table: Table | undefined, server: Server): Operation {
  const ev = server.evidence;
  const word = /^(\w+)/.exec(upper)?.[1] ?? '';
  if (['ANALYZE', 'CHECK', 'REPAIR'].includes(word)) return noop(ev);
  if (word === 'ADD' && !hashPartitioned(table))
    return {
      ...nocopy(true, ev, ['adds an empty partition; reads and writes wait while it is created']),
      algorithm: 'INPLACE',
      lock: 'EXCLUSIVE',
      kind: 'work',
    };
  if (
    word === 'DROP' ||
    word === 'TRUNCATE' ||
    word === 'DISCARD' ||
    word === 'IMPORT' ||
    word === 'EXCHANGE'
  )
    return {
      ...nocopy(true, ev, [
        `${word} PARTITION: ${word === 'DROP' || word === 'TRUNCATE' ? 'its rows are discarded; ' : ''}reads and writes wait while it runs`,
      ]),
      algorithm: 'INPLACE',
      lock: 'EXCLUSIVE',
      empties: word === 'TRUNCATE',
      rejects: word === 'EXCHANGE',
    };
  return copy(ev, [`${word} PARTITION moves rows between partitions: ${WORDS.copy}`]);
}

export function renameTable(change: ChangeOf<'rename table'>, server: Server): Operation {
  // Measured: EXCLUSIVE on the old and the new name, instant. Manual, "Renaming a table": Instant Yes.
  return instant(
    server.evidence,
    ['renames the table: instant, but every query using the old name fails from then on'],
    {
      exclusive: [change.newName],
    },
  );
}

export function truncate(server: Server): Operation {
  // Measured: EXCLUSIVE; InnoDB drops and recreates the table (new table id, no rows copied).
  return {
    ...instant(server.evidence, ['discards every row: quick, not undoable (DDL commits)']),
    empties: true,
    notOnline: true,
  };
}

export function dropTable(server: Server): Operation {
  return {
    ...instant(server.evidence, ['drops the table and its data: not undoable (DDL commits)']),
    notOnline: true,
  };
}
