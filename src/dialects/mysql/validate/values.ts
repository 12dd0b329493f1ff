/**
 * A value for row k (an SQL integer expression, 1-based) of a MySQL/MariaDB column, by its
 * column type as information_schema prints it (`int(11) unsigned`, `varchar(40)`,
 * `enum('a','b')`, `decimal(10,2)`). Distinct for distinct k as far as the type allows (a
 * `tinyint` holds 127 of them: a unique tinyint column gets no more rows than that, and its
 * insert fails and is retried as synthesize.ts says). Null: no generator for the type (its
 * default or NULL is used).
 */
import type { Column } from '../../../core/snapshot.js';
import { quoteMysqlLiteral } from '../quote.js';

const INT_MAX: Record<string, number> = {
  tinyint: 127,
  smallint: 32767,
  mediumint: 8388607,
  int: 2147483647,
  integer: 2147483647,
  bigint: Number.MAX_SAFE_INTEGER,
};

export function valueFor(
  column: Column,
  k: string,
  label: string,
  /** MariaDB's JSON is LONGTEXT with CHECK (json_valid(col)): it needs a JSON value. */
  json = false,
): string | null {
  const type = column.type.toLowerCase().trim();
  if (json) return `JSON_OBJECT('n', ${k})`;
  const base = /^[a-z]+/.exec(type)?.[0] ?? '';
  const size = /^\w+\((\d+)(?:,(\d+))?\)/.exec(type);
  const length = size?.[1] !== undefined ? Number(size[1]) : undefined;
  const scale = size?.[2] !== undefined ? Number(size[2]) : 0;
  const unsigned = /\bunsigned\b/.test(type);
  if (base in INT_MAX) {
    // tinyint(1) is how MySQL spells boolean: 0 and 1.
    if (base === 'tinyint' && length === 1) return `MOD(${k}, 2)`;
    const max = (INT_MAX[base] ?? 127) * (unsigned && base !== 'bigint' ? 2 : 1);
    return `MOD(${k}, ${max})`;
  }
  switch (base) {
    case 'bit':
      return `MOD(${k}, ${2 ** Math.min(length ?? 1, 52)})`;
    case 'decimal':
    case 'numeric':
    case 'dec':
    case 'fixed': {
      const digits = Math.max(0, (length ?? 10) - scale);
      return digits === 0 ? '0' : `MOD(${k}, ${10 ** Math.min(digits, 15) - 1})`;
    }
    case 'float':
    case 'double':
    case 'real':
      return `${k} + 0.5`;
    case 'char':
    case 'varchar':
    case 'binary':
    case 'varbinary':
      // The number first: it keeps values distinct as far as the length allows.
      return `LEFT(CONCAT(${k}, '-', ${quoteMysqlLiteral(label)}), ${length ?? 1})`;
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return `CONCAT(${k}, '-', ${quoteMysqlLiteral(label)})`;
    case 'enum':
    case 'set': {
      const labels = listedValues(type.slice(base.length));
      return labels.length === 0
        ? null
        : `ELT(MOD(${k} - 1, ${labels.length}) + 1, ${labels.map(quoteMysqlLiteral).join(', ')})`;
    }
    case 'date':
      return `DATE_ADD(DATE '2024-01-01', INTERVAL ${k} DAY)`;
    case 'datetime':
      return `DATE_ADD(TIMESTAMP '2024-01-01 00:00:00', INTERVAL ${k} MINUTE)`;
    case 'timestamp':
      // Seconds: ten million rows stay far from TIMESTAMP's 2038 limit.
      return `DATE_ADD(TIMESTAMP '2024-01-01 00:00:00', INTERVAL ${k} SECOND)`;
    case 'time':
      return `SEC_TO_TIME(MOD(${k}, 86400))`;
    case 'year':
      return `1901 + MOD(${k}, 254)`;
    case 'json':
      return `JSON_OBJECT('n', ${k})`;
    case 'uuid':
      // MariaDB 10.7+: a version-1-shaped uuid from the row number.
      return `CONCAT('00000000-0000-1000-8000-', LPAD(HEX(${k}), 12, '0'))`;
    case 'inet4':
      return `INET_NTOA(${k})`;
    case 'point':
      return `POINT(${k}, ${k})`;
    default:
      return null;
  }
}

/** `('a','it''s')` → ['a', "it's"]: the labels of an ENUM or SET type. */
export function listedValues(text: string): string[] {
  return [...text.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)].map((m) =>
    (m[1] ?? '').replace(/''/g, "'").replace(/\\(.)/g, '$1'),
  );
}
