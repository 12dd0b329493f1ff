/**
 * SQLite's tokens, as its tokenizer (src/tokenize.c) cuts SQL text: enough to find the parts of
 * a CREATE TABLE statement and the names a view, trigger or index mentions, while keeping every
 * character of the text, so an edit changes only what it means to change.
 * https://www.sqlite.org/lang_keywords.html (the four ways to quote a name)
 */

export type TokenKind =
  | 'space'
  | 'comment'
  | 'string'
  /** A bare word: a keyword or a name. */
  | 'word'
  /** A name in "…", […] or `…`. */
  | 'quoted'
  | 'number'
  | 'blob'
  | 'variable'
  | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the first character in the text, and one past the last. */
  start: number;
  end: number;
}

const SPACE = /[ \t\n\f\r]/;
const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
/** Two- and three-character operators, longest first (tokenize.c). */
const OPERATORS = ['->>', '||', '<=', '>=', '==', '!=', '<>', '<<', '>>', '->'];

/** The end of a quoted run that starts at `start` and closes with `close` (doubled: escaped). */
function quotedEnd(sql: string, start: number, close: string, doubles: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === close) {
      if (doubles && sql[i + 1] === close) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

function numberEnd(sql: string, start: number): number {
  let i = start;
  if (sql[i] === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
    i += 2;
    while (i < sql.length && /[0-9A-Fa-f_]/.test(sql[i] ?? '')) i++;
    return i;
  }
  while (i < sql.length && /[0-9_]/.test(sql[i] ?? '')) i++;
  if (sql[i] === '.') {
    i++;
    while (i < sql.length && /[0-9_]/.test(sql[i] ?? '')) i++;
  }
  if ((sql[i] === 'e' || sql[i] === 'E') && /[0-9+-]/.test(sql[i + 1] ?? '')) {
    i += 2;
    while (i < sql.length && DIGIT.test(sql[i] ?? '')) i++;
  }
  return i;
}

function tokenEnd(sql: string, i: number): { kind: TokenKind; end: number } {
  const c = sql[i] ?? '';
  const next = sql[i + 1] ?? '';
  if (SPACE.test(c)) {
    let j = i + 1;
    while (j < sql.length && SPACE.test(sql[j] ?? '')) j++;
    return { kind: 'space', end: j };
  }
  if (c === '-' && next === '-') {
    const newline = sql.indexOf('\n', i);
    return { kind: 'comment', end: newline < 0 ? sql.length : newline };
  }
  if (c === '/' && next === '*') {
    const close = sql.indexOf('*/', i + 2);
    return { kind: 'comment', end: close < 0 ? sql.length : close + 2 };
  }
  if (c === "'") return { kind: 'string', end: quotedEnd(sql, i, "'", true) };
  if (c === '"') return { kind: 'quoted', end: quotedEnd(sql, i, '"', true) };
  if (c === '`') return { kind: 'quoted', end: quotedEnd(sql, i, '`', true) };
  if (c === '[') return { kind: 'quoted', end: quotedEnd(sql, i, ']', false) };
  if ((c === 'x' || c === 'X') && next === "'")
    return { kind: 'blob', end: quotedEnd(sql, i + 1, "'", false) };
  if (DIGIT.test(c) || (c === '.' && DIGIT.test(next))) return { kind: 'number', end: numberEnd(sql, i) };
  if (WORD_START.test(c)) {
    let j = i + 1;
    while (j < sql.length && WORD_PART.test(sql[j] ?? '')) j++;
    return { kind: 'word', end: j };
  }
  if (c === '?' || c === ':' || c === '@' || c === '$') {
    let j = i + 1;
    while (j < sql.length && WORD_PART.test(sql[j] ?? '')) j++;
    return { kind: 'variable', end: j };
  }
  const operator = OPERATORS.find((op) => sql.startsWith(op, i));
  return { kind: 'punct', end: i + (operator?.length ?? 1) };
}

/** Every token of `sql`, whitespace and comments included, in order; their texts join to `sql`. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const { kind, end } = tokenEnd(sql, i);
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  }
  return tokens;
}

/** Tokens that mean something: no whitespace, no comments. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/** The name a word or quoted token stands for; null for other tokens. */
export function nameOf(token: Token | undefined): string | null {
  if (!token) return null;
  if (token.kind === 'word') return token.text;
  if (token.kind !== 'quoted') return null;
  const inner = token.text.slice(1, -1);
  if (token.text.startsWith('"')) return inner.replace(/""/g, '"');
  if (token.text.startsWith('`')) return inner.replace(/``/g, '`');
  return inner;
}

/** A bare word equal to `keyword`, in any case. */
export function isKeyword(token: Token | undefined, keyword: string): boolean {
  return token?.kind === 'word' && token.text.toUpperCase() === keyword;
}

/**
 * SQLite compares names without regard to the case of ASCII letters (other letters must match
 * exactly): https://www.sqlite.org/lang_keywords.html and sqlite3StrICmp.
 */
export function sameName(a: string, b: string): boolean {
  return a.length === b.length && asciiLower(a) === asciiLower(b);
}

export function asciiLower(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Whether the SQL mentions `name` as a name (bare or quoted), in any case. */
export function mentions(sql: string, name: string): boolean {
  return tokenize(sql).some((t) => {
    const found = nameOf(t);
    return found !== null && sameName(found, name);
  });
}

/** The string a '…' literal token holds. */
export function stringValue(token: Token): string {
  return token.text.slice(1, -1).replace(/''/g, "'");
}
