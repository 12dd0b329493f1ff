/**
 * SQLite's tokenizer (tokenize.c, sqlite3GetToken), rule for rule, so that the statements we
 * split and the tokens we parse are the ones the library sees: `'…'` strings with doubled
 * quotes and no backslash escapes; identifiers in `"…"`, `` `…` `` and `[…]`; `--` and
 * `/* *\/` comments (an unterminated block comment runs to the end of the input); numbers with
 * the `_` digit separators of 3.46; `x'…'` blobs; `?N`, `:name`, `@name`, `$name` parameters.
 * Offsets are UTF-16 offsets into the text (JavaScript's); a character above U+007F is an
 * identifier character, as each of its UTF-8 bytes is for SQLite.
 * https://www.sqlite.org/lang_expr.html#literal_values_constants_
 */
import { fallsBackToId, wordClass } from './keywords.js';

export interface Token {
  /**
   * The parser's token class, as parse.y names it: ID (a bare word that is no keyword, or a
   * quoted identifier), a keyword's class (SELECT, JOIN_KW, CTIME_KW, …), STRING, INTEGER,
   * FLOAT, QNUMBER, BLOB, VARIABLE, punctuation (LP, RP, SEMI, COMMA, DOT, EQ, …), SPACE,
   * COMMENT, ILLEGAL, or EOF.
   */
  type: string;
  start: number;
  end: number;
  text: string;
  /** For ID tokens: the name as SQLite reads it (quotes removed, doubled quotes halved). */
  name?: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
/** tokenize.c IdChar(): letters, digits, `_`, `$`, and any non-ASCII character. */
export const isIdChar = (c: string | undefined): boolean =>
  c !== undefined && (/^[A-Za-z0-9_$]$/.test(c) || c.charCodeAt(0) >= 0x80);
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';

const PUNCT2: Record<string, string> = {
  '<=': 'LE',
  '<>': 'NE',
  '<<': 'LSHIFT',
  '>=': 'GE',
  '>>': 'RSHIFT',
  '==': 'EQ',
  '!=': 'NE',
  '||': 'CONCAT',
  '->': 'PTR',
};
const PUNCT1: Record<string, string> = {
  '(': 'LP',
  ')': 'RP',
  ';': 'SEMI',
  ',': 'COMMA',
  '+': 'PLUS',
  '-': 'MINUS',
  '*': 'STAR',
  '/': 'SLASH',
  '%': 'REM',
  '=': 'EQ',
  '<': 'LT',
  '>': 'GT',
  '&': 'BITAND',
  '|': 'BITOR',
  '~': 'BITNOT',
  '.': 'DOT',
};

/** Length and class of the token at `i` (sqlite3GetToken). */
function scan(z: string, i: number): { length: number; type: string } {
  const c = z[i] as string;
  const next = z[i + 1];
  if (isSpace(c)) {
    let j = i + 1;
    while (isSpace(z[j])) j++;
    return { length: j - i, type: 'SPACE' };
  }
  if (c === '-' && next === '-') {
    const nl = z.indexOf('\n', i);
    return { length: (nl < 0 ? z.length : nl) - i, type: 'COMMENT' };
  }
  if (c === '-' && next === '>') return { length: z[i + 2] === '>' ? 3 : 2, type: 'PTR' };
  if (c === '/' && next === '*' && i + 2 < z.length) {
    const close = z.indexOf('*/', i + 2);
    return { length: (close < 0 ? z.length : close + 2) - i, type: 'COMMENT' };
  }
  if (c === "'" || c === '"' || c === '`') return quoted(z, i, c, c === "'" ? 'STRING' : 'ID');
  if (c === '[') {
    const close = z.indexOf(']', i + 1);
    return close < 0 ? { length: z.length - i, type: 'ILLEGAL' } : { length: close + 1 - i, type: 'ID' };
  }
  if (isDigit(c) || (c === '.' && isDigit(next))) return number(z, i);
  if ((c === 'x' || c === 'X') && next === "'") return blob(z, i);
  if (c === '?') {
    let j = i + 1;
    while (isDigit(z[j])) j++;
    return { length: j - i, type: 'VARIABLE' };
  }
  if (c === ':' || c === '@' || c === '$' || c === '#') {
    let j = i + 1;
    // The library is built with SQLITE_OMIT_TCL_VARIABLE: no `$a::b` or `$a(b)` forms.
    while (isIdChar(z[j])) j++;
    return { length: j - i, type: j === i + 1 ? 'ILLEGAL' : 'VARIABLE' };
  }
  if (isIdChar(c)) {
    let j = i + 1;
    while (isIdChar(z[j])) j++;
    return { length: j - i, type: wordClass(z.slice(i, j).toUpperCase()) };
  }
  const two = z.slice(i, i + 2);
  const pair = PUNCT2[two];
  if (pair) return { length: 2, type: pair };
  const one = PUNCT1[c];
  if (one) return { length: 1, type: one };
  return { length: 1, type: 'ILLEGAL' };
}

function quoted(z: string, i: number, q: string, type: string): { length: number; type: string } {
  let j = i + 1;
  for (;;) {
    const close = z.indexOf(q, j);
    if (close < 0) return { length: z.length - i, type: 'ILLEGAL' };
    if (z[close + 1] === q) j = close + 2;
    else return { length: close + 1 - i, type };
  }
}

function digits(
  z: string,
  j: number,
  ok: (c: string | undefined) => boolean,
  q: { quoted: boolean },
): number {
  for (;;) {
    if (ok(z[j])) j++;
    else if (z[j] === '_') {
      q.quoted = true;
      j++;
    } else return j;
  }
}

function number(z: string, i: number): { length: number; type: string } {
  const q = { quoted: false };
  let type = 'INTEGER';
  let j = i;
  if (z[i] === '0' && (z[i + 1] === 'x' || z[i + 1] === 'X') && isHex(z[i + 2])) {
    j = digits(z, i + 3, isHex, q);
  } else {
    j = digits(z, j, isDigit, q);
    if (z[j] === '.') {
      type = 'FLOAT';
      j = digits(z, j + 1, isDigit, q);
    }
    const e = z[j];
    if (
      (e === 'e' || e === 'E') &&
      (isDigit(z[j + 1]) || ((z[j + 1] === '+' || z[j + 1] === '-') && isDigit(z[j + 2])))
    ) {
      type = 'FLOAT';
      j = digits(z, j + 2, isDigit, q);
    }
  }
  if (q.quoted) type = 'QNUMBER';
  if (isIdChar(z[j])) {
    while (isIdChar(z[j])) j++;
    type = 'ILLEGAL';
  }
  return { length: j - i, type };
}

function blob(z: string, i: number): { length: number; type: string } {
  let j = i + 2;
  while (isHex(z[j])) j++;
  let type = (j - i - 2) % 2 === 0 && z[j] === "'" ? 'BLOB' : 'ILLEGAL';
  if (z[j] !== "'") type = 'ILLEGAL';
  while (j < z.length && z[j] !== "'") j++;
  return { length: Math.min(j + 1, z.length) - i, type };
}

/** The name a quoted identifier or string stands for: quotes removed, doubled quotes halved. */
export function dequote(text: string): string {
  const q = text[0];
  if (q === '[') return text.slice(1, -1);
  if (q !== '"' && q !== '`' && q !== "'") return text;
  return text
    .slice(1, -1)
    .split(q + q)
    .join(q);
}

/** Every token of `text` from `from` to `to`, spaces and comments included, without EOF. */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const z = text.slice(0, to);
  const out: Token[] = [];
  for (let i = from; i < to;) {
    const { length, type } = scan(z, i);
    const token: Token = { type, start: i, end: i + length, text: z.slice(i, i + length) };
    if (type === 'ID') token.name = dequote(token.text);
    out.push(token);
    i += length;
  }
  return out;
}

/**
 * The tokens the parser reads: spaces and comments dropped, and WINDOW, OVER and FILTER read
 * as keywords only where tokenize.c's look-ahead makes them keywords (analyzeWindowKeyword,
 * analyzeOverKeyword, analyzeFilterKeyword), else as names.
 */
export function significant(tokens: Token[]): Token[] {
  const out = tokens.filter((t) => t.type !== 'SPACE' && t.type !== 'COMMENT');
  // tokenize.c getToken(): what counts as a name in the look-ahead.
  const idLike = (t: Token | undefined): boolean =>
    t !== undefined &&
    (['ID', 'STRING', 'JOIN_KW', 'WINDOW', 'OVER'].includes(t.type) || fallsBackToId(t.type));
  for (let k = 0; k < out.length; k++) {
    const t = out[k] as Token;
    const previous = out[k - 1];
    const next = out[k + 1];
    let keep = true;
    if (t.type === 'WINDOW') keep = idLike(next) && out[k + 2]?.type === 'AS';
    else if (t.type === 'OVER') keep = previous?.type === 'RP' && (next?.type === 'LP' || idLike(next));
    else if (t.type === 'FILTER') keep = previous?.type === 'RP' && next?.type === 'LP';
    if (!keep) out[k] = { ...t, type: 'ID', name: t.text };
  }
  return out;
}
