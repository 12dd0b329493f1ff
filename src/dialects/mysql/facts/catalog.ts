/**
 * What the facts read from the catalog (FactContext.table, the snapshot as the migration left
 * it): column types taken apart, storage sizes in bytes, the engine and row format.
 */
import type { Change } from '../../../core/change.js';
import type { Column, Table } from '../../../core/snapshot.js';

/** A column type as MySQL prints it (`int(11) unsigned`, `varchar(60) CHARACTER SET latin1`). */
export interface ParsedType {
  /** Lower case, synonyms folded: `int`, `varchar`, `decimal`, `enum`. */
  base: string;
  /** Numeric arguments (length, precision, scale); empty for ENUM/SET. */
  args: number[];
  /** ENUM/SET members, unquoted, in order. */
  members: string[];
  unsigned: boolean;
  zerofill: boolean;
  /** CHARACTER SET written in the type, lower case. */
  charset: string | null;
}

const SYNONYMS: Record<string, string> = {
  integer: 'int',
  dec: 'decimal',
  numeric: 'decimal',
  fixed: 'decimal',
  'double precision': 'double',
  real: 'double',
  bool: 'tinyint',
  boolean: 'tinyint',
  'character varying': 'varchar',
  character: 'char',
  nchar: 'char',
  nvarchar: 'varchar',
};

const INTEGERS = ['tinyint', 'smallint', 'mediumint', 'int', 'bigint'];

export function parseType(text: string): ParsedType {
  let rest = text.trim().toLowerCase();
  let charset: string | null = null;
  const cs = /\s+(?:character set|charset)\s+([a-z0-9_]+)/.exec(rest);
  if (cs) {
    charset = cs[1] ?? null;
    rest = rest.replace(cs[0], ' ');
  }
  rest = rest.replace(/\s+collate\s+[a-z0-9_]+/, ' ');
  const unsigned = /\bunsigned\b/.test(rest);
  const zerofill = /\bzerofill\b/.test(rest);
  rest = rest.replace(/\b(unsigned|signed|zerofill)\b/g, ' ').trim();
  const open = rest.indexOf('(');
  const name = (open >= 0 ? rest.slice(0, open) : rest).trim().replace(/\s+/g, ' ');
  const inside = open >= 0 ? rest.slice(open + 1, rest.lastIndexOf(')')) : '';
  let base = SYNONYMS[name] ?? name;
  let args: number[] = [];
  let members: string[] = [];
  if (base === 'enum' || base === 'set') members = quotedMembers(inside);
  else if (inside.trim() !== '') args = inside.split(',').map((a) => Number(a.trim()));
  // BOOLEAN is TINYINT(1); integer display widths (int(11)) are not part of the type.
  if (name === 'bool' || name === 'boolean') args = [];
  if (INTEGERS.includes(base)) args = [];
  if (base === 'decimal' && args.length === 0) args = [10, 0];
  if (base === 'decimal' && args.length === 1) args = [args[0] ?? 10, 0];
  if (base === 'char' && args.length === 0) args = [1];
  base = base === 'character' ? 'char' : base;
  return { base, args, members, unsigned, zerofill, charset };
}

function quotedMembers(inside: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^'\\]|\\.|'')*)'/g;
  for (let m = re.exec(inside); m; m = re.exec(inside)) out.push((m[1] ?? '').replace(/''/g, "'"));
  return out;
}

/** The most bytes one character takes in each character set (the `Maxlen` of SHOW CHARACTER SET). */
const MAX_BYTES: Record<string, number> = {
  latin1: 1,
  latin2: 1,
  latin5: 1,
  latin7: 1,
  ascii: 1,
  binary: 1,
  cp1250: 1,
  cp1251: 1,
  cp1256: 1,
  cp1257: 1,
  cp850: 1,
  greek: 1,
  hebrew: 1,
  koi8r: 1,
  koi8u: 1,
  swe7: 1,
  tis620: 1,
  armscii8: 1,
  geostd8: 1,
  keybcs2: 1,
  macce: 1,
  macroman: 1,
  dec8: 1,
  hp8: 1,
  cp866: 1,
  ucs2: 2,
  big5: 2,
  gbk: 2,
  sjis: 2,
  cp932: 2,
  euckr: 2,
  gb2312: 2,
  ujis: 3,
  eucjpms: 3,
  utf8: 3,
  utf8mb3: 3,
  utf16: 4,
  utf16le: 4,
  utf32: 4,
  utf8mb4: 4,
  gb18030: 4,
};

/** Unknown character sets count as utf8mb4: the widest, so a boundary is never missed. */
export function bytesPerChar(charset: string | null | undefined): number {
  return charset ? (MAX_BYTES[charset.toLowerCase()] ?? 4) : 4;
}

export function isString(base: string): boolean {
  return ['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set'].includes(base);
}

/** Bytes an ENUM (1 up to 255 members, else 2) or a SET (1, 2, 3, 4 or 8) takes per row. */
export function memberBytes(base: string, count: number): number {
  if (base === 'enum') return count <= 255 ? 1 : 2;
  const bytes = Math.ceil(count / 8);
  return bytes > 4 ? 8 : bytes;
}

export function findColumn(table: Table | undefined, name: string): Column | undefined {
  return table?.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/**
 * The column a clause names, also when an earlier clause of the same ALTER renames it there
 * (CHANGE a b …: the type part names b, which the schema still calls a until the rename).
 */
export function columnOf(
  table: Table | undefined,
  name: string,
  statement: readonly Change[] | undefined,
): Column | undefined {
  const found = findColumn(table, name);
  if (found) return found;
  const rename = statement?.find(
    (c) => c.kind === 'rename column' && c.newName.toLowerCase() === name.toLowerCase(),
  );
  return rename?.kind === 'rename column' ? findColumn(table, rename.column) : undefined;
}

export function isInnodb(table: Table | undefined): boolean {
  return !table?.engine || table.engine.toLowerCase() === 'innodb';
}

/** A non-InnoDB table (MyISAM, Aria, MEMORY…): no online DDL. Unknown tables count as InnoDB. */
export function otherEngine(table: Table | undefined): string | null {
  return table?.engine && table.engine.toLowerCase() !== 'innodb' ? table.engine : null;
}

export function rowFormat(table: Table | undefined): string {
  return (table?.rowFormat ?? 'dynamic').toLowerCase();
}

/**
 * A FULLTEXT index means InnoDB's hidden FTS_DOC_ID column exists. (It also stays after the
 * last FULLTEXT index is dropped, until the table is rebuilt: the catalog does not show that.)
 */
export function hasFulltext(table: Table | undefined): boolean {
  return table?.indexes.some((i) => i.method === 'fulltext') ?? false;
}

/** Indexes with the column among their key parts (a prefix `name(10)` counts). */
export function indexesOn(table: Table | undefined, column: string): string[] {
  const lower = column.toLowerCase();
  return (table?.indexes ?? [])
    .filter((i) =>
      i.columns.some(
        (c) =>
          c
            .replace(/\(\d+\)$/, '')
            .replace(/ (ASC|DESC)$/i, '')
            .toLowerCase() === lower,
      ),
    )
    .map((i) => i.name);
}

/** HASH or KEY partitioning: adding or removing partitions moves rows between all of them. */
export function hashPartitioned(table: Table | undefined): boolean {
  if (!table?.partitions || table.partitions.length === 0) return false;
  if (table.partitionKey) return /^\s*(linear\s+)?(hash|key)\b/i.test(table.partitionKey);
  return table.partitions.every((p) => p.bound === null);
}

/** Names of the table's columns an expression refers to (the deparser quotes them: `c`). */
export function columnsIn(sql: string, table: Table | undefined): string[] {
  const names = new Set((table?.columns ?? []).map((c) => c.name.toLowerCase()));
  const out: string[] = [];
  for (const m of sql.replace(/'(?:[^'\\]|\\.|'')*'/g, "''").matchAll(/`((?:[^`]|``)+)`/g)) {
    const name = (m[1] ?? '').replace(/``/g, '`');
    if (names.size === 0 || names.has(name.toLowerCase())) out.push(name);
  }
  return out;
}
