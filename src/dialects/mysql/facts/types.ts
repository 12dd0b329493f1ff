/**
 * Changing a column's type (MODIFY/CHANGE restate it): what the server does, from the column as
 * the catalog has it and the type as written. MariaDB measured on 10.11
 * (test/dialects/mysql/facts/cases/columns.ts); MySQL from the manual.
 */
import type { ChangeOf } from '../../../core/change.js';
import type { Column, Table } from '../../../core/snapshot.js';
import {
  bytesPerChar,
  indexesOn,
  isString,
  memberBytes,
  parseType,
  rowFormat,
  type ParsedType,
} from './catalog.js';
import { copy, instant, nocopy, noop, rebuild, type Operation } from './operation.js';
import type { Server } from './server.js';

const MANUAL =
  'https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-column-operations';

export function typeChange(
  change: ChangeOf<'alter column type'>,
  column: Column,
  table: Table | undefined,
  server: Server,
): Operation {
  const ev = server.evidence;
  const from = parseType(column.type);
  const to = parseType(change.type.sql);
  // A string column takes the charset written, else the table's default (MODIFY restates it).
  const fromCharset = (from.charset ?? column.charset ?? table?.charset ?? null)?.toLowerCase() ?? null;
  const toCharset = isString(to.base)
    ? ((to.charset ?? charsetOfCollation(change.collation) ?? table?.charset ?? fromCharset)?.toLowerCase() ??
      null)
    : null;
  const charsetChanges =
    isString(to.base) &&
    isString(from.base) &&
    fromCharset !== toCharset &&
    toCharset !== null &&
    fromCharset !== null;
  const sameType =
    from.base === to.base &&
    sameList(from.args, to.args) &&
    sameList(from.members, to.members) &&
    from.unsigned === to.unsigned &&
    from.zerofill === to.zerofill;
  const toCollation =
    change.collation?.toLowerCase() ??
    (toCharset === table?.charset?.toLowerCase() ? table?.collation?.toLowerCase() : undefined);
  const collationChanges =
    isString(to.base) &&
    !charsetChanges &&
    toCollation !== undefined &&
    column.collation !== null &&
    column.collation.toLowerCase() !== toCollation;

  if (sameType && !charsetChanges) {
    if (collationChanges) return collationChange(change.column, table, server);
    return noop(ev);
  }
  const narrows = narrowing(from, to, fromCharset, toCharset);
  const extra = { rejects: narrows, scans: false };
  if (server.mariadb)
    return mariadbTypeChange(change, from, to, { fromCharset, toCharset, table, ev, narrows, extra });
  return mysqlTypeChange(from, to, { fromCharset, toCharset, charsetChanges, table, ev, extra });
}

interface Ctx {
  fromCharset: string | null;
  toCharset: string | null;
  table: Table | undefined;
  ev: Server['evidence'];
}

function mariadbTypeChange(
  change: ChangeOf<'alter column type'>,
  from: ParsedType,
  to: ParsedType,
  c: Ctx & { narrows: boolean; extra: { rejects: boolean } },
): Operation {
  // VARCHAR/CHAR made longer, or converted from utf8mb3 to utf8mb4, in place of the old bytes:
  // instant when the length prefix still fits (see lengthPrefixFits). MDEV-15563, MDEV-22771;
  // https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/
  // A CHAR keeps its length in characters (a longer CHAR is a copy, MDEV-22771); only its
  // character set may widen.
  const widensCharset =
    c.fromCharset !== c.toCharset &&
    (c.fromCharset === 'utf8mb3' || c.fromCharset === 'utf8') &&
    c.toCharset === 'utf8mb4';
  if (
    from.base === to.base &&
    (from.base === 'varchar' || (from.base === 'char' && widensCharset && sameList(from.args, to.args))) &&
    (c.fromCharset === c.toCharset || widensCharset)
  ) {
    const oldBytes = (from.args[0] ?? 1) * bytesPerChar(c.fromCharset);
    const newBytes = (to.args[0] ?? 1) * bytesPerChar(c.toCharset);
    if (newBytes >= oldBytes) {
      if (rowFormat(c.table) === 'redundant' || lengthPrefixFits(oldBytes, newBytes))
        return instant(c.ev, [`${from.base} grows from ${oldBytes} to ${newBytes} bytes in place: instant`], {
          kind: 'innodb',
        });
      return copy(
        c.ev,
        [
          `${from.base} grows from ${oldBytes} to ${newBytes} bytes, past the 255-byte length prefix of values stored in more than 127 bytes: a full copy`,
        ],
        c.extra,
      );
    }
  }
  // ENUM/SET members added at the end, same storage size: instant (measured; the KB's
  // "Adding a New ENUM Option" row).
  if (appendsMembers(from, to) && c.fromCharset === c.toCharset)
    return instant(c.ev, ['new ENUM/SET members at the end: instant']);
  const words = describe(from, to, c.fromCharset, c.toCharset);
  return copy(c.ev, [`${words}: MariaDB can only copy the table for it`], c.extra);
}

function mysqlTypeChange(
  from: ParsedType,
  to: ParsedType,
  c: Ctx & { charsetChanges: boolean; extra: { rejects: boolean } },
): Operation {
  // Manual, "Extending VARCHAR column size": Instant No, In Place Yes, Rebuilds No, as long as
  // the number of length bytes stays the same (0-255 bytes: 1, 256 or more: 2). MySQL has no
  // 127-byte exception. MANUAL (see the constant).
  if (from.base === 'varchar' && to.base === 'varchar' && !c.charsetChanges) {
    const per = bytesPerChar(c.fromCharset);
    const oldBytes = (from.args[0] ?? 1) * per;
    const newBytes = (to.args[0] ?? 1) * per;
    if (newBytes >= oldBytes && oldBytes > 255 === newBytes > 255)
      return nocopy(false, c.ev, [
        `VARCHAR extended within its length bytes: in place, no rebuild (${MANUAL})`,
      ]);
  }
  // Manual, "Modifying the definition of an ENUM or SET column": Instant Yes, when members are
  // added at the end and the storage size does not change.
  if (appendsMembers(from, to))
    return instant(c.ev, [`new ENUM/SET members at the end: instant (${MANUAL})`]);
  // Manual, "Changing the column data type": Instant No, In Place No, Rebuilds Yes, Concurrent DML No.
  return copy(
    c.ev,
    [`${describe(from, to, c.fromCharset, c.toCharset)}: only ALGORITHM=COPY (${MANUAL})`],
    c.extra,
  );
}

/**
 * InnoDB stores a value's length in 1 byte while the column's maximum is at most 255 bytes;
 * above that, values shorter than 128 bytes still take 1 byte. So a longer maximum needs no
 * rewrite while the new maximum stays within 255 bytes, the old was already past 255, or every
 * old value is shorter than 128 bytes (old maximum <= 127). Measured on 10.11 across the whole
 * boundary (latin1 60→300: instant; utf8mb4 31→100 chars: instant; 32→100: copy).
 */
export function lengthPrefixFits(oldBytes: number, newBytes: number): boolean {
  return newBytes <= 255 || oldBytes > 255 || oldBytes <= 127;
}

function collationChange(column: string, table: Table | undefined, server: Server): Operation {
  const indexed = indexesOn(table, column);
  if (indexed.length === 0)
    return instant(server.evidence, ['new collation, same character set, no index on the column: instant'], {
      kind: 'innodb',
    });
  return nocopy(
    server.mariadb,
    server.evidence,
    [`new collation on an indexed column: ${indexed.join(', ')} rebuilt in place, reads and writes go on`],
    { buildsIndex: true },
  );
}

function appendsMembers(from: ParsedType, to: ParsedType): boolean {
  return (
    from.base === to.base &&
    (from.base === 'enum' || from.base === 'set') &&
    to.members.length > from.members.length &&
    from.members.every((m, i) => to.members[i] === m) &&
    memberBytes(from.base, from.members.length) === memberBytes(to.base, to.members.length)
  );
}

/** Existing values may not fit the new type (the ALTER then fails, or truncates outside strict mode). */
function narrowing(from: ParsedType, to: ParsedType, fromCs: string | null, toCs: string | null): boolean {
  const ints = ['tinyint', 'smallint', 'mediumint', 'int', 'bigint'];
  if (ints.includes(from.base) && ints.includes(to.base))
    return ints.indexOf(to.base) < ints.indexOf(from.base) || from.unsigned !== to.unsigned;
  if (from.base === to.base && (from.base === 'enum' || from.base === 'set'))
    return !from.members.every((m) => to.members.includes(m));
  if (from.base === to.base && from.args.length > 0) return to.args.some((a, i) => a < (from.args[i] ?? 0));
  if (fromCs !== toCs && toCs !== null && bytesPerChar(toCs) < bytesPerChar(fromCs)) return true;
  const texts = ['tinytext', 'text', 'mediumtext', 'longtext'];
  if (texts.includes(from.base) && (to.base === 'varchar' || to.base === 'char')) return true;
  return from.base !== to.base;
}

function describe(from: ParsedType, to: ParsedType, fromCs: string | null, toCs: string | null): string {
  if (from.base === to.base && fromCs !== toCs) return `character set ${fromCs ?? '?'} → ${toCs ?? '?'}`;
  const show = (t: ParsedType) =>
    `${t.base}${t.args.length ? `(${t.args.join(',')})` : ''}${t.members.length ? `(${t.members.length} members)` : ''}${t.unsigned ? ' unsigned' : ''}`;
  return `type ${show(from)} → ${show(to)}`;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function charsetOfCollation(collation: string | null): string | null {
  return collation ? (collation.toLowerCase().split('_')[0] ?? null) : null;
}

/** A reorder (FIRST/AFTER) of an unchanged column. */
export function reorder(server: Server): Operation {
  // MariaDB 10.4+: reordering columns is instant (MDEV-15562), measured.
  if (server.mariadb) return instant(server.evidence, ['column moved: instant'], { kind: 'row' });
  // Manual, "Reordering columns": Instant No, In Place Yes, Rebuilds Yes, Concurrent DML Yes.
  return rebuild(server.evidence, [`column moved: the table is rebuilt in place (${MANUAL})`]);
}
