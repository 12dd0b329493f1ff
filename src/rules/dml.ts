/**
 * Reading the user's own UPDATE / DELETE text at the top level (outside parentheses, strings,
 * quoted names and comments), so that safe alternatives can rewrite the statement they wrote
 * into batches instead of asking them to. Dialect-neutral: it only knows SQL's lexical rules.
 */
import type { DmlParts, SafeSql } from '../core/dialect/safe-sql.js';
import type { Quoter } from '../core/rule.js';
import type { Table } from '../core/snapshot.js';

interface Token {
  /** Upper-cased word, the identifier as written for quoted names, or the punctuation itself. */
  text: string;
  start: number;
  end: number;
  kind: 'word' | 'quoted' | 'punct' | 'group' | 'string';
}

/** Top-level tokens of a statement; parenthesised groups, strings and comments are one token or none. */
export function topLevelTokens(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: Token['kind'], start: number, end: number, text = sql.slice(start, end)) =>
    tokens.push({ kind, start, end, text });
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    const code = sql.charCodeAt(i);
    if (isSpace(code, c)) i++;
    else if (c === '-' && next === '-') i = endOfLine(sql, i);
    else if (c === '/' && next === '*') i = endOfBlockComment(sql, i);
    else if (c === "'") {
      const end = endOfString(sql, i, /[eE]/.test(sql[i - 1] ?? ''));
      push('string', i, end);
      i = end;
    } else if (c === '"') {
      const end = endOfQuoted(sql, i);
      push('quoted', i, end, sql.slice(i + 1, end - 1).replace(/""/g, '"'));
      i = end;
    } else if (c === '$' && /[A-Za-z_$]/.test(next)) {
      const tag = /^\$[A-Za-z_0-9]*\$/.exec(sql.slice(i))?.[0];
      if (!tag) {
        i++;
        continue;
      }
      const close = sql.indexOf(tag, i + tag.length);
      const end = close < 0 ? sql.length : close + tag.length;
      push('string', i, end);
      i = end;
    } else if (c === '(') {
      const end = endOfGroup(sql, i);
      push('group', i, end);
      i = end;
    } else if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95) {
      WORD.lastIndex = i;
      const m = WORD.exec(sql)?.[0] ?? c;
      push('word', i, i + m.length, m.toUpperCase());
      i += m.length;
    } else {
      push('punct', i, i + 1);
      i++;
    }
  }
  return tokens;
}

/** A word from its first letter on (sticky: matched where lastIndex says, no copy of the rest). */
const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/** `/\s/` for one UTF-16 unit, without a regex for ASCII (nearly every character). */
function isSpace(code: number, c: string): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(c);
}

function endOfLine(sql: string, i: number): number {
  const nl = sql.indexOf('\n', i);
  return nl < 0 ? sql.length : nl + 1;
}

function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  for (let i = start; i < sql.length - 1; i++) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i++;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return sql.length;
}

function endOfString(sql: string, start: number, escapes: boolean): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (escapes && sql[i] === '\\') i++;
    else if (sql[i] === "'") {
      if (sql[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return sql.length;
}

function endOfQuoted(sql: string, start: number): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === '"') {
      if (sql[i + 1] === '"') i++;
      else return i + 1;
    }
  }
  return sql.length;
}

/** Index just past the `)` matching the `(` at start, skipping nested groups, strings and comments. */
function endOfGroup(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'") i = endOfString(sql, i, /[eE]/.test(sql[i - 1] ?? ''));
    else if (c === '"') i = endOfQuoted(sql, i);
    else if (c === '-' && sql[i + 1] === '-') i = endOfLine(sql, i);
    else if (c === '/' && sql[i + 1] === '*') i = endOfBlockComment(sql, i);
    else if (c === '$' && /[A-Za-z_$]/.test(sql[i + 1] ?? '')) {
      const tag = /^\$[A-Za-z_0-9]*\$/.exec(sql.slice(i))?.[0];
      const close = tag ? sql.indexOf(tag, i + tag.length) : -1;
      i = tag ? (close < 0 ? sql.length : close + tag.length) : i + 1;
    } else {
      if (c === '(') depth++;
      if (c === ')') depth--;
      i++;
      if (depth === 0) return i;
    }
  }
  return sql.length;
}

const ALIAS_STOP = new Set(['SET', 'WHERE', 'USING', 'RETURNING', 'FROM']);

export function dmlParts(sql: string): DmlParts | null {
  const tokens = topLevelTokens(sql);
  const verbAt = tokens.findIndex((t) => t.kind === 'word' && (t.text === 'UPDATE' || t.text === 'DELETE'));
  const verb = tokens[verbAt];
  if (!verb) return null;
  let i = verbAt + 1;
  const word = (k: number, text: string) => tokens[k]?.kind === 'word' && tokens[k]?.text === text;
  if (verb.text === 'DELETE') {
    if (!word(i, 'FROM')) return null;
    i++;
  }
  if (word(i, 'ONLY')) i++;
  // The relation name: name or schema.name, each part bare or quoted.
  let name = tokens[i];
  if (!name || (name.kind !== 'word' && name.kind !== 'quoted')) return null;
  const relationStart = name.start;
  while (tokens[i + 1]?.text === '.' && tokens[i + 2]) {
    i += 2;
    name = tokens[i] ?? name;
  }
  i++;
  if (tokens[i]?.text === '*') i++;
  let reference =
    name.kind === 'quoted' ? `"${name.text.replace(/"/g, '""')}"` : sql.slice(name.start, name.end);
  if (word(i, 'AS')) i++;
  const alias = tokens[i];
  let relationEnd = tokens[i - 1]?.end ?? name.end;
  if (alias && (alias.kind === 'quoted' || (alias.kind === 'word' && !ALIAS_STOP.has(alias.text)))) {
    reference = sql.slice(alias.start, alias.end);
    relationEnd = alias.end;
    i++;
  }

  const rest = tokens.slice(i);
  const where = rest.find((t) => t.kind === 'word' && t.text === 'WHERE');
  const returning = rest.find((t) => t.kind === 'word' && t.text === 'RETURNING');
  const headEnd = where?.start ?? returning?.start ?? sql.length;
  // FROM / USING before the WHERE ("IS DISTINCT FROM" inside the predicate is no join).
  const joiner = verb.text === 'UPDATE' ? 'FROM' : 'USING';
  const joins = rest.some((t) => t.kind === 'word' && t.text === joiner && t.start < headEnd);
  return {
    verb: verb.text === 'UPDATE' ? 'UPDATE' : 'DELETE',
    head: sql.slice(0, headEnd).trimEnd(),
    where: where ? sql.slice(where.end, returning?.start ?? sql.length).trim() : null,
    reference,
    relation: sql.slice(relationStart, relationEnd),
    joins,
    returning: returning !== undefined,
  };
}

/**
 * The user's UPDATE / DELETE (`statement`) as the dialect batches it, as script lines; null when
 * it cannot be taken apart or batched safely (then the caller says what to do in words).
 * `stopsMatching`: the caller wrote the WHERE so that an updated row no longer matches it (a
 * backfill of NULLs), which lets an unknown table be batched by row address.
 */
export function batchedDml(
  sql: SafeSql,
  q: Quoter,
  statement: string,
  table: string,
  tableInfo: Table | undefined,
  major: number,
  options: { stopsMatching?: boolean } = {},
): string[] | null {
  const parts = dmlParts(statement);
  return parts ? sql.batches.dml(q, parts, table, tableInfo, major, options) : null;
}
