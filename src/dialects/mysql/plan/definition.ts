/**
 * Column definitions as MODIFY, CHANGE and ADD COLUMN restate them: from the catalog (what a
 * rollback puts back) and from the user's own clause, edited in one place (a column added
 * nullable and without its default first, by an expand step). MySQL has no ALTER COLUMN TYPE or
 * SET NOT NULL: every such change restates the whole column, and what is left out is lost.
 * https://dev.mysql.com/doc/refman/8.0/en/alter-table.html (CHANGE, MODIFY)
 * https://mariadb.com/kb/en/alter-table/#modify-column
 */
import type { Quoter } from '../../../core/rule.js';
import type { Column, Index } from '../../../core/snapshot.js';

/**
 * A default as MariaDB's information_schema prints it: a literal ('x', 12, b'1', NULL) goes as it
 * is; anything else is an expression, which MySQL 8.0.13+ and MariaDB 10.2+ take in parentheses.
 * (MySQL 8 prints string literals unquoted: only MariaDB's catalog is read here; docs/mysql/plans.md.)
 */
function defaultWords(value: string, type: string): string {
  if (/^'(?:''|\\.|[^'\\])*'$/s.test(value) || /^[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i.test(value))
    return value;
  if (/^(?:[bx]'[0-9a-f]*'|NULL)$/i.test(value)) return value;
  // CURRENT_TIMESTAMP on a timestamp/datetime is the one expression every version takes bare.
  if (/^current_timestamp(?:\(\d*\))?$/i.test(value) && /^(timestamp|datetime)/i.test(type)) return value;
  return `(${value})`;
}

/** The catalog column's whole definition after its name: type, charset, NULL, DEFAULT, … */
export function columnDefinition(q: Quoter, column: Column): string {
  const parts = [column.type];
  if (column.charset) parts.push(`CHARACTER SET ${column.charset}`);
  if (column.collation) parts.push(`COLLATE ${column.collation}`);
  if (column.generated !== null) {
    parts.push(`AS (${column.generated}) ${column.generatedKind === 'virtual' ? 'VIRTUAL' : 'STORED'}`);
  } else {
    parts.push(column.nullable ? 'NULL' : 'NOT NULL');
    if (column.default !== null) parts.push(`DEFAULT ${defaultWords(column.default, column.type)}`);
    if (column.identity) parts.push('AUTO_INCREMENT');
    if (column.onUpdate) parts.push(`ON UPDATE ${column.onUpdate}`);
  }
  if (column.comment) parts.push(`COMMENT ${q.literal(column.comment)}`);
  return parts.join(' ');
}

/** Integer display widths (`int(11)`) are not part of the type since MySQL 8.0.19. */
const INTEGER = /^(tinyint|smallint|mediumint|int|integer|bigint)(?:\(\d+\))?/;
const ALIASES: Record<string, string> = { integer: 'int', bool: 'tinyint(1)', boolean: 'tinyint(1)' };

function normalType(type: string): string {
  let t = type
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',');
  t = t.replace(/\s*\)/g, ')');
  t = ALIASES[t] ?? t;
  if (t !== 'tinyint(1)') t = t.replace(INTEGER, (_m, base: string) => ALIASES[base] ?? base);
  // `dec` and `numeric` are `decimal`; `decimal` alone is decimal(10,0).
  t = t.replace(/^(?:dec|numeric|fixed)\b/, 'decimal').replace(/^decimal$/, 'decimal(10,0)');
  return t.replace(/ zerofill$/, ' unsigned zerofill');
}

/** The catalog type and a type as written name the same type (`int(11)` and `INT`, `dec` and `decimal(10,0)`). */
export function sameType(catalog: string, written: string): boolean {
  return normalType(catalog) === normalType(written);
}

/** Where in a definition a top-level keyword starts, outside quotes and parentheses; -1 when absent. */
function keywordAt(text: string, keyword: RegExp): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === "'" || c === '"' || c === '`') {
      i = closeOf(text, i) - 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (i === 0 || /\s/.test(text[i - 1] ?? '')) && keyword.test(text.slice(i)))
      return i;
  }
  return -1;
}

function closeOf(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) {
      if (text[i + 1] === quote) i++;
      else return i + 1;
    }
  }
  return text.length;
}

/** End of the default expression starting at `from`: a literal, a parenthesised group, or a call. */
function expressionEnd(text: string, from: number): number {
  let i = from;
  while (/\s/.test(text[i] ?? '')) i++;
  const c = text[i] ?? '';
  if (c === "'" || c === '"') return closeOf(text, i);
  let depth = 0;
  for (; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === "'" || ch === '"') i = closeOf(text, i) - 1;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && /\s/.test(ch)) return i;
  }
  return text.length;
}

/**
 * The user's definition with its DEFAULT taken out and/or made nullable, the rest as written
 * (what an expand step adds before the default and NOT NULL can be had without a copy).
 */
export function editDefinition(
  definition: string,
  edit: { dropDefault?: boolean; nullable?: boolean },
): string {
  let out = definition;
  if (edit.dropDefault) {
    const at = keywordAt(out, /^DEFAULT\b/i);
    if (at >= 0) out = `${out.slice(0, at)}${out.slice(expressionEnd(out, at + 'DEFAULT'.length))}`;
  }
  if (edit.nullable) {
    const at = keywordAt(out, /^NOT\s+NULL\b/i);
    if (at >= 0)
      out = `${out.slice(0, at)}NULL${out.slice(at + (/^NOT\s+NULL/i.exec(out.slice(at))?.[0].length ?? 0))}`;
    // A column that does not say takes NULL, except a TIMESTAMP where explicit_defaults_for_timestamp
    // is off (MySQL 5.7's default): there it is said out loud.
    else if (keywordAt(out, /^NULL\b/i) < 0 && /^timestamp\b/i.test(out)) out = `${out} NULL`;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * `ADD [UNIQUE|FULLTEXT|SPATIAL] INDEX name (parts)` (or ADD PRIMARY KEY) for an index of the
 * catalog, the column `rename.from` named `rename.to` in it; null when that column sits in an
 * expression part. Written as an ALTER TABLE clause, not the catalog's CREATE INDEX … ON
 * `db`.`t`, so that it runs on whichever database the step runs on.
 */
export function addIndexClause(
  q: Quoter,
  index: Index,
  options: { name?: string; rename?: { from: string; to: string } } = {},
): string | null {
  const parts: string[] = [];
  for (const part of index.columns) {
    if (part.startsWith('(')) {
      if (options.rename && part.includes(options.rename.from)) return null;
      parts.push(part);
      continue;
    }
    const plain = part.replace(/(\(\d+\))?( DESC)?$/, '');
    const name = options.rename && plain === options.rename.from ? options.rename.to : plain;
    parts.push(`${q.ident(name)}${part.slice(plain.length)}`);
  }
  if (index.primary) return `ADD PRIMARY KEY (${parts.join(', ')})`;
  const kind =
    index.method === 'fulltext'
      ? 'FULLTEXT '
      : index.method === 'spatial'
        ? 'SPATIAL '
        : index.unique
          ? 'UNIQUE '
          : '';
  const using = ['btree', 'fulltext', 'spatial'].includes(index.method)
    ? ''
    : ` USING ${index.method.toUpperCase()}`;
  return `ADD ${kind}INDEX ${q.ident(options.name ?? index.name)} (${parts.join(', ')})${using}`;
}
