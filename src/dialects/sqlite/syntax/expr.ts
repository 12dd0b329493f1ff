/**
 * SQLite expressions (parse.y "Expression Processing", precedence as its %left/%right lines:
 * OR < AND < NOT < IS MATCH LIKE BETWEEN IN ISNULL NOTNULL <> = < comparisons < ESCAPE <
 * & | << >> < + - < * / % < || -> < COLLATE < unary ~ + -). Nothing is evaluated: an
 * expression is kept as its span in the text, whether it is a bare literal, and what it
 * mentions (functions, columns, tables of subqueries) in the cursor's collectors.
 * https://www.sqlite.org/lang_expr.html
 */
import type { SqliteExpr } from '../ast.js';
import type { Cursor } from './cursor.js';
import { nameOf } from './cursor.js';
import { select, startsSelect } from './select.js';

export interface ExprSpan {
  start: number;
  end: number;
  /** A literal (number, string, blob, NULL, TRUE/FALSE), possibly signed or in parentheses. */
  constant: boolean;
}

const INFIX: Record<string, number> = {
  OR: 1,
  AND: 2,
  IS: 4,
  MATCH: 4,
  LIKE_KW: 4,
  BETWEEN: 4,
  IN: 4,
  ISNULL: 4,
  NOTNULL: 4,
  NE: 4,
  EQ: 4,
  GT: 5,
  LE: 5,
  LT: 5,
  GE: 5,
  BITAND: 7,
  BITOR: 7,
  LSHIFT: 7,
  RSHIFT: 7,
  PLUS: 8,
  MINUS: 8,
  STAR: 9,
  SLASH: 9,
  REM: 9,
  CONCAT: 10,
  PTR: 10,
  COLLATE: 11,
};
const NOT_LEVEL = 3;
const UNARY_LEVEL = 12;
const LITERALS = new Set(['NULL', 'FLOAT', 'BLOB', 'INTEGER', 'QNUMBER']);

/** An expression whose operators all bind at least as tightly as `min`. */
export function expr(c: Cursor, min = 0): ExprSpan {
  const start = c.offset;
  let { constant } = prefix(c);
  for (;;) {
    const type = c.type;
    if (type === 'NOT') {
      if (NOT_LEVEL < min) break;
      c.next();
      if (c.accept('NULL')) {
        // expr NOT NULL
      } else if (c.at('LIKE_KW', 'MATCH')) like(c);
      else if (c.accept('BETWEEN')) between(c);
      else if (c.accept('IN')) inRest(c);
      else c.fail();
      constant = false;
      continue;
    }
    const level = INFIX[type];
    if (level === undefined || level < min) break;
    constant = false;
    if (type === 'LIKE_KW' || type === 'MATCH') like(c);
    else if (c.accept('BETWEEN')) between(c);
    else if (c.accept('IN')) inRest(c);
    else if (c.accept('IS')) {
      c.accept('NOT');
      if (c.accept('DISTINCT')) c.expect('FROM');
      expr(c, level + 1);
    } else if (c.accept('ISNULL') || c.accept('NOTNULL')) {
      // postfix
    } else if (c.accept('COLLATE')) c.ids();
    else {
      c.next();
      expr(c, level + 1);
    }
  }
  return { start, end: c.consumedEnd, constant };
}

function like(c: Cursor): void {
  c.next();
  expr(c, 5);
  if (c.accept('ESCAPE')) expr(c, 5);
}

function between(c: Cursor): void {
  expr(c, NOT_LEVEL);
  c.expect('AND');
  expr(c, 5);
}

/** After IN: `(exprlist)`, `(select)`, or a table or table-valued function. */
function inRest(c: Cursor): void {
  if (c.accept('LP')) {
    if (startsSelect(c)) select(c);
    else exprList(c, true);
    c.expect('RP');
    return;
  }
  const { schema, name } = c.qualified();
  c.mention('tables', schema === null ? name : `${schema}.${name}`);
  if (c.accept('LP')) {
    exprList(c, true);
    c.expect('RP');
  }
}

function prefix(c: Cursor): { constant: boolean } {
  if (c.accept('NOT')) {
    expr(c, NOT_LEVEL);
    return { constant: false };
  }
  if (c.accept('BITNOT')) {
    expr(c, UNARY_LEVEL);
    return { constant: false };
  }
  if (c.accept('PLUS') || c.accept('MINUS')) return { constant: expr(c, UNARY_LEVEL).constant };
  return primary(c);
}

function primary(c: Cursor): { constant: boolean } {
  const token = c.peek();
  const type = token.type;
  if (LITERALS.has(type) || (type === 'STRING' && c.peek(1).type !== 'DOT')) {
    c.next();
    return { constant: true };
  }
  if (type === 'CTIME_KW') {
    c.next();
    c.mention('functions', token.text.toLowerCase());
    return { constant: false };
  }
  if (type === 'VARIABLE') {
    if (/^#\d/.test(token.text)) c.fail();
    c.next();
    return { constant: false };
  }
  if (c.accept('LP')) {
    if (startsSelect(c)) {
      select(c);
      c.expect('RP');
      return { constant: false };
    }
    const inner = expr(c);
    let vector = false;
    while (c.accept('COMMA')) {
      expr(c);
      vector = true;
    }
    c.expect('RP');
    return { constant: inner.constant && !vector };
  }
  if (c.accept('CAST')) {
    c.expect('LP');
    const inner = expr(c);
    c.expect('AS');
    typeToken(c);
    c.expect('RP');
    return { constant: inner.constant };
  }
  if (c.accept('CASE')) {
    if (!c.at('WHEN')) expr(c);
    c.expect('WHEN');
    do {
      expr(c);
      c.expect('THEN');
      expr(c);
    } while (c.accept('WHEN'));
    if (c.accept('ELSE')) expr(c);
    c.expect('END');
    return { constant: false };
  }
  if (c.accept('EXISTS')) {
    c.expect('LP');
    select(c);
    c.expect('RP');
    return { constant: false };
  }
  if (c.accept('RAISE')) {
    c.expect('LP');
    if (!c.accept('IGNORE')) {
      if (!c.accept('ROLLBACK') && !c.accept('ABORT')) c.expect('FAIL');
      c.expect('COMMA');
      expr(c);
    }
    c.expect('RP');
    return { constant: false };
  }
  if (!c.isNm()) c.fail();
  if (c.peek(1).type === 'DOT') {
    c.next();
    c.next();
    let column = c.nm();
    if (c.accept('DOT')) column = c.nm();
    c.mention('columns', column);
    return { constant: false };
  }
  if (type === 'STRING') c.fail(c.peek(1));
  c.next();
  if (c.at('LP')) {
    call(c, nameOf(token));
    return { constant: false };
  }
  const name = nameOf(token);
  // TRUE and FALSE are names SQLite reads as the literals when no column has them.
  const literal = /^(true|false)$/i.test(token.text);
  if (!literal) c.mention('columns', name);
  return { constant: literal };
}

/** A function call from its `(`: arguments, `*`, DISTINCT, ORDER BY, FILTER, OVER. */
function call(c: Cursor, name: string): void {
  c.mention('functions', name.toLowerCase());
  c.expect('LP');
  if (c.accept('STAR')) c.expect('RP');
  else {
    if (!c.accept('DISTINCT')) c.accept('ALL');
    exprList(c, true);
    if (c.acceptAll('ORDER', 'BY')) sortList(c);
    c.expect('RP');
  }
  if (c.accept('FILTER')) {
    c.expect('LP');
    c.expect('WHERE');
    expr(c);
    c.expect('RP');
  }
  if (c.accept('OVER')) {
    if (c.accept('LP')) {
      window(c);
      c.expect('RP');
    } else c.nm();
  }
}

/** An expression with its text and what it mentions. */
export function expression(c: Cursor, min = 0): SqliteExpr {
  const { value, mentions } = c.collect(() => expr(c, min));
  return {
    sql: c.source.slice(value.start, value.end),
    constant: value.constant,
    functions: [...mentions.functions].sort(),
    columns: [...mentions.columns].sort(),
  };
}

/** Expressions separated by commas; `optional`: possibly none (before a `)`). */
export function exprList(c: Cursor, optional = false): ExprSpan[] {
  if (optional && c.at('RP')) return [];
  const out = [expr(c)];
  while (c.accept('COMMA')) out.push(expr(c));
  return out;
}

export interface SortItem {
  expr: ExprSpan;
  /** The column when the item is a plain column name (with or without COLLATE). */
  column: string | null;
  descending: boolean;
}

/** `expr [ASC|DESC] [NULLS FIRST|LAST]`, separated by commas. */
export function sortList(c: Cursor): SortItem[] {
  const out: SortItem[] = [];
  do {
    const first = c.position;
    const e = expr(c);
    const token = c.tokenAt(first);
    const length = c.position - first;
    const plain =
      token !== undefined &&
      c.isNm(token) &&
      (length === 1 || (length === 3 && c.tokenAt(first + 1)?.type === 'COLLATE'));
    const column = plain ? nameOf(token) : null;
    const descending = c.accept('DESC') !== undefined;
    if (!descending) c.accept('ASC');
    if (c.accept('NULLS') && !c.accept('FIRST')) c.expect('LAST');
    out.push({ expr: e, column, descending });
  } while (c.accept('COMMA'));
  return out;
}

/** The inside of `OVER (…)` or of a WINDOW definition. */
export function window(c: Cursor): void {
  if (c.isNm() && !c.at('PARTITION', 'RANGE', 'ROWS', 'GROUPS')) c.next();
  if (c.acceptAll('PARTITION', 'BY')) exprList(c);
  if (c.acceptAll('ORDER', 'BY')) sortList(c);
  if (!c.accept('RANGE') && !c.accept('ROWS') && !c.accept('GROUPS')) return;
  if (c.accept('BETWEEN')) {
    frameBound(c, 'PRECEDING');
    c.expect('AND');
    frameBound(c, 'FOLLOWING');
  } else frameBound(c, 'PRECEDING');
  if (c.accept('EXCLUDE')) {
    if (c.accept('NO')) c.expect('OTHERS');
    else if (c.accept('CURRENT')) c.expect('ROW');
    else if (!c.accept('GROUP')) c.expect('TIES');
  }
}

function frameBound(c: Cursor, unbounded: 'PRECEDING' | 'FOLLOWING'): void {
  if (c.accept('UNBOUNDED')) c.expect(unbounded);
  else if (c.at('CURRENT') && c.peek(1).type === 'ROW') c.acceptAll('CURRENT', 'ROW');
  else {
    expr(c);
    if (!c.accept('PRECEDING')) c.expect('FOLLOWING');
  }
}

/** `typetoken`: zero or more names, then optionally `(n)` or `(n, m)`; its text, or null. */
export function typeToken(c: Cursor, stopAt: readonly string[] = []): string | null {
  const start = c.offset;
  if (!c.isIds() || stopAt.includes(c.type)) return null;
  while (c.isIds() && !stopAt.includes(c.type)) c.next();
  if (c.accept('LP')) {
    signed(c);
    if (c.accept('COMMA')) signed(c);
    c.expect('RP');
  }
  return c.textFrom(start);
}

/** `[+|-] number`: the text as written. */
export function signed(c: Cursor): string {
  const start = c.offset;
  if (!c.accept('PLUS')) c.accept('MINUS');
  if (!c.accept('INTEGER')) c.expect('FLOAT');
  return c.textFrom(start);
}
