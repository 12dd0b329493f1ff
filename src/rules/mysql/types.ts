/**
 * MySQL/MariaDB column types as the catalog prints them (`int(11)`, `bigint(20) unsigned`,
 * `enum('a','b')`, `varchar(255)`) compared with a type as written in the migration (a TypeRef
 * of the MySQL lowering). MODIFY and CHANGE restate the whole column, so a rule must tell a
 * restated type from a changed one before it says anything.
 * https://dev.mysql.com/doc/refman/8.0/en/data-types.html
 */
import type { TypeRef } from '../../core/change.js';

const INTEGERS = ['tinyint', 'smallint', 'mediumint', 'int', 'bigint'] as const;
/** Bytes per integer type: its range follows. */
const INT_BYTES: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, bigint: 8 };

const ALIASES: Record<string, string> = {
  integer: 'int',
  bool: 'tinyint',
  boolean: 'tinyint',
  dec: 'decimal',
  numeric: 'decimal',
  fixed: 'decimal',
  'double precision': 'double',
  real: 'double',
  character: 'char',
  'character varying': 'varchar',
};

export interface MysqlType {
  /** Base name, lower case, aliases resolved: `int`, `varchar`, `enum`, `decimal`. */
  base: string;
  /** Length / precision and scale; integer display widths dropped (they change nothing stored). */
  args: number[];
  unsigned: boolean;
  /** ENUM/SET values, unquoted, in order. */
  values: string[];
  /** CHARACTER SET written with the type (MySQL reads it as part of the type), lower case. */
  charset: string | null;
}

/** A type as the catalog prints it, or as written (`TypeRef.sql`). */
export function parseMysqlType(text: string): MysqlType {
  let rest = text.trim();
  let charset: string | null = null;
  const cs = /\s+(?:CHARACTER SET|CHARSET)\s+(\w+)/i.exec(rest);
  if (cs?.[1]) {
    charset = cs[1].toLowerCase();
    rest = rest.slice(0, cs.index) + rest.slice(cs.index + cs[0].length);
  }
  const open = rest.indexOf('(');
  const close = rest.lastIndexOf(')');
  const head = (open < 0 ? rest : rest.slice(0, open)).trim().toLowerCase();
  const inner = open < 0 || close < open ? '' : rest.slice(open + 1, close);
  const tail = (open < 0 ? '' : rest.slice(close + 1)).toLowerCase();
  const words = `${head} ${tail}`.split(/\s+/).filter(Boolean);
  const unsigned = words.includes('unsigned');
  const name = words.filter((w) => w !== 'unsigned' && w !== 'signed' && w !== 'zerofill').join(' ');
  const base = ALIASES[name] ?? name;
  const values = base === 'enum' || base === 'set' ? quotedValues(inner) : [];
  let args = values.length > 0 || inner === '' ? [] : inner.split(',').map((a) => Number(a.trim()));
  if ((INTEGERS as readonly string[]).includes(base)) args = [];
  // DECIMAL means DECIMAL(10,0), DECIMAL(p) means DECIMAL(p,0).
  if (base === 'decimal') args = [args[0] ?? 10, args[1] ?? 0];
  return { base, args, unsigned, values, charset };
}

export function writtenType(type: TypeRef): MysqlType {
  return parseMysqlType(type.sql);
}

function quotedValues(inner: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^'\\]|''|\\.)*)'/g;
  for (let m = re.exec(inner); m; m = re.exec(inner)) out.push((m[1] ?? '').replace(/''/g, "'"));
  return out;
}

/** Same stored type (charset compared separately: see sameCharset). */
export function sameType(a: MysqlType, b: MysqlType): boolean {
  return (
    a.base === b.base &&
    a.unsigned === b.unsigned &&
    a.args.join(',') === b.args.join(',') &&
    a.values.join('\u0000') === b.values.join('\u0000')
  );
}

const TEXTUAL = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);

export function isTextual(t: MysqlType): boolean {
  return TEXTUAL.has(t.base);
}

/** Bytes per character, at most, in a character set (the length-byte rule counts bytes). */
export function maxBytesPerChar(charset: string | null | undefined): number {
  const c = (charset ?? '').toLowerCase();
  if (c === 'latin1' || c === 'ascii' || c === 'binary' || c.startsWith('latin') || c === 'cp1252') return 1;
  if (c === 'ucs2') return 2;
  if (c === 'utf8' || c === 'utf8mb3') return 3;
  // utf8mb4, utf16, utf32, and anything unknown: the widest.
  return 4;
}

/**
 * Whether widening a VARCHAR keeps its length prefix: one byte up to 255 bytes, two from 256.
 * Only then can InnoDB extend it in place; crossing the boundary copies the table.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-column-operations
 */
export function sameLengthBytes(
  fromChars: number,
  toChars: number,
  charset: string | null | undefined,
): boolean {
  const per = maxBytesPerChar(charset);
  return fromChars * per <= 255 === toChars * per <= 255;
}

/** How a type change treats existing values: widening keeps them all; narrowing may not. */
export function narrows(from: MysqlType, to: MysqlType): boolean {
  if (from.base in INT_BYTES && to.base in INT_BYTES) {
    const a = INT_BYTES[from.base] ?? 0;
    const b = INT_BYTES[to.base] ?? 0;
    if (from.unsigned && !to.unsigned) return b <= a;
    if (!from.unsigned && to.unsigned) return true;
    return b < a;
  }
  if (
    from.base === to.base &&
    (from.base === 'varchar' || from.base === 'char' || from.base === 'varbinary' || from.base === 'binary')
  )
    return (to.args[0] ?? 0) < (from.args[0] ?? 0);
  if (from.base === 'decimal' && to.base === 'decimal') {
    const [p1 = 10, s1 = 0] = from.args;
    const [p2 = 10, s2 = 0] = to.args;
    return p2 - s2 < p1 - s1 || s2 < s1 || (from.unsigned === false && to.unsigned);
  }
  if ((from.base === 'enum' || from.base === 'set') && from.base === to.base)
    return from.values.some((v) => !to.values.includes(v));
  const TEXT_ORDER = ['tinytext', 'text', 'mediumtext', 'longtext'];
  if (TEXT_ORDER.includes(from.base) && TEXT_ORDER.includes(to.base))
    return TEXT_ORDER.indexOf(to.base) < TEXT_ORDER.indexOf(from.base);
  if (isTextual(from) && to.base in INT_BYTES) return true;
  if (from.base === 'double' && to.base === 'float') return true;
  if ((from.base === 'datetime' || from.base === 'timestamp') && to.base === 'date') return true;
  if (from.base === 'varchar' && to.base === 'char') return (to.args[0] ?? 0) < (from.args[0] ?? 0);
  return false;
}

/** The range of an integer type, as SQL literals. */
export function integerRange(t: MysqlType): [string, string] | null {
  const bytes = INT_BYTES[t.base];
  if (!bytes) return null;
  const bits = BigInt(bytes * 8);
  if (t.unsigned) return ['0', ((1n << bits) - 1n).toString()];
  return [(-(1n << (bits - 1n))).toString(), ((1n << (bits - 1n)) - 1n).toString()];
}
