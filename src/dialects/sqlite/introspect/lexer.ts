/**
 * A small SQLite tokenizer for the text sqlite_schema stores (CREATE TABLE/INDEX/VIEW/TRIGGER as
 * written): enough to find clauses the pragmas do not report (CHECK expressions, constraint
 * names, DEFERRABLE, COLLATE, generated expressions, an index's expressions and WHERE) and the
 * names a view or trigger uses. Token rules follow https://www.sqlite.org/lang_keywords.html
 * and https://www.sqlite.org/tokenreq.html: '…' strings ('' escapes a quote), "…", `…` and
 * […] identifiers, -- and /* comments (an unterminated one runs to the end, as SQLite reads it).
 *
 * This is not the dialect's grammar (parser.ts is the language half's); it only needs to keep
 * balanced parentheses and token boundaries right, which these rules decide.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'blob' | 'variable' | 'punct';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** For `word` and `quoted`: the name it spells (unquoted); for others the text. */
  value: string;
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: TokenKind, start: number, end: number, value?: string) =>
    tokens.push({ kind, text: sql.slice(start, end), value: value ?? sql.slice(start, end), start, end });
  while (i < n) {
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c);
      const inner = sql
        .slice(start + 1, end - 1)
        .split(c + c)
        .join(c);
      push(c === "'" ? 'string' : 'quoted', start, end, inner);
      i = end;
      continue;
    }
    if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      const end = close === -1 ? n : close + 1;
      push('quoted', start, end, sql.slice(start + 1, close === -1 ? n : close));
      i = end;
      continue;
    }
    if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const end = closingQuote(sql, i + 1, "'");
      push('blob', start, end);
      i = end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      i++;
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i] as string)) {
        // An exponent's sign belongs to the number: 1e-5.
        if (/[eE]/.test(sql[i] as string) && /[+-]/.test(sql[i + 1] ?? '')) i++;
        i++;
      }
      push('number', start, i);
      continue;
    }
    if (WORD_START.test(c)) {
      i++;
      while (i < n && WORD_PART.test(sql[i] as string)) i++;
      push('word', start, i);
      continue;
    }
    if (c === '?' || c === ':' || c === '@' || c === '$') {
      i++;
      while (i < n && WORD_PART.test(sql[i] as string)) i++;
      push('variable', start, i);
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (['<=', '>=', '<>', '!=', '==', '||', '<<', '>>', '->'].includes(two)) {
      // `->>` is one operator (JSON extraction).
      const len = two === '->' && sql[i + 2] === '>' ? 3 : 2;
      push('punct', start, i + len);
      i += len;
      continue;
    }
    push('punct', start, i + 1);
    i++;
  }
  return tokens;
}

/** End (exclusive) of a quoted token starting at `i`, a doubled quote being part of it. */
function closingQuote(sql: string, i: number, quote: string): number {
  let j = i + 1;
  for (;;) {
    const k = sql.indexOf(quote, j);
    if (k === -1) return sql.length;
    if (sql[k + 1] === quote) {
      j = k + 2;
      continue;
    }
    return k + 1;
  }
}

/** The token is the keyword `word` (any case), not a quoted name spelled the same. */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.some((w) => w.toUpperCase() === token.value.toUpperCase());
}

export function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === 'punct' && token.text === text;
}

/** A name: a bare word or a quoted identifier (or a string, which SQLite takes as a name there). */
export function isName(token: Token | undefined): token is Token {
  return token?.kind === 'word' || token?.kind === 'quoted' || token?.kind === 'string';
}

/** Index of the `)` closing the `(` at `open`; the last index when unbalanced. */
export function matchingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return tokens.length - 1;
}

/** Token ranges [from, to) between `from` and `to`, split at commas outside parentheses. */
export function splitTopLevel(tokens: readonly Token[], from: number, to: number): [number, number][] {
  const parts: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isPunct(t, ',')) {
      parts.push([start, i]);
      start = i + 1;
    }
  }
  if (start < to) parts.push([start, to]);
  return parts;
}

/** The source text of tokens [from, to], inclusive, as written (comments inside kept). */
export function sourceOf(sql: string, tokens: readonly Token[], from: number, to: number): string {
  const a = tokens[from];
  const b = tokens[to];
  if (!a || !b || to < from) return '';
  return sql.slice(a.start, b.end);
}
