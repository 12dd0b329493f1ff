/**
 * SELECT, VALUES and WITH (parse.y "The SELECT statement", "COMMON TABLE EXPRESSIONS"): parsed
 * for their syntax and for the tables they read, which CREATE VIEW, CREATE TABLE … AS and
 * INSERT … SELECT report. https://www.sqlite.org/lang_select.html
 */
import type { Cursor } from './cursor.js';
import { expr, exprList, sortList, window } from './expr.js';

/** Whether a select starts here (inside a `(`: a subquery rather than an expression). */
export function startsSelect(c: Cursor): boolean {
  return c.at('SELECT', 'VALUES', 'WITH');
}

/** `[WITH [RECURSIVE] cte, …] select [UNION|INTERSECT|EXCEPT select]…` */
export function select(c: Cursor): void {
  if (c.accept('WITH')) {
    c.accept('RECURSIVE');
    withList(c);
  }
  selectBody(c);
}

/** `select [UNION [ALL]|INTERSECT|EXCEPT select]…` without a WITH in front. */
export function selectBody(c: Cursor): void {
  oneSelect(c);
  for (;;) {
    if (c.accept('UNION')) c.accept('ALL');
    else if (!c.accept('EXCEPT') && !c.accept('INTERSECT')) return;
    oneSelect(c);
  }
}

/** The common table expressions after WITH [RECURSIVE]. */
export function withList(c: Cursor): void {
  do {
    c.mention('ctes', c.nm());
    if (c.at('LP')) eidList(c);
    c.expect('AS');
    if (c.accept('NOT')) c.expect('MATERIALIZED');
    else c.accept('MATERIALIZED');
    c.expect('LP');
    select(c);
    c.expect('RP');
  } while (c.accept('COMMA'));
}

function oneSelect(c: Cursor): void {
  if (c.accept('VALUES')) {
    do {
      c.expect('LP');
      exprList(c);
      c.expect('RP');
    } while (c.accept('COMMA'));
    return;
  }
  c.expect('SELECT');
  if (!c.accept('DISTINCT')) c.accept('ALL');
  resultColumns(c);
  if (c.accept('FROM')) from(c);
  if (c.accept('WHERE')) expr(c);
  if (c.acceptAll('GROUP', 'BY')) exprList(c);
  if (c.accept('HAVING')) expr(c);
  if (c.accept('WINDOW')) {
    do {
      c.nm();
      c.expect('AS');
      c.expect('LP');
      window(c);
      c.expect('RP');
    } while (c.accept('COMMA'));
  }
  if (c.acceptAll('ORDER', 'BY')) sortList(c);
  limit(c);
}

/** `LIMIT n [OFFSET m | , m]`. */
export function limit(c: Cursor): void {
  if (!c.accept('LIMIT')) return;
  expr(c);
  if (c.accept('OFFSET') || c.accept('COMMA')) expr(c);
}

/** `selcollist`: `*`, `t.*`, or `expr [[AS] alias]`, separated by commas. */
export function resultColumns(c: Cursor): void {
  do {
    if (c.accept('STAR')) continue;
    if (c.isNm() && c.peek(1).type === 'DOT' && c.peek(2).type === 'STAR') {
      c.next();
      c.next();
      c.next();
      continue;
    }
    expr(c);
    alias(c);
  } while (c.accept('COMMA'));
}

/** `as`: `AS nm`, a bare name or string, or nothing. */
function alias(c: Cursor): void {
  if (c.accept('AS')) c.nm();
  else if (c.isIds()) c.next();
}

/** The FROM clause (`seltablist`): tables, subqueries and joins. */
export function from(c: Cursor): void {
  for (;;) {
    fromTerm(c);
    if (c.accept('COMMA') || c.accept('JOIN')) continue;
    if (!c.accept('JOIN_KW')) return;
    if (!c.accept('JOIN')) {
      c.nm();
      if (!c.accept('JOIN')) {
        c.nm();
        c.expect('JOIN');
      }
    }
  }
}

function fromTerm(c: Cursor): void {
  if (c.accept('LP')) {
    if (startsSelect(c)) select(c);
    else from(c);
    c.expect('RP');
    alias(c);
  } else {
    const { schema, name } = c.qualified();
    c.mention('tables', schema === null ? name : `${schema}.${name}`);
    if (c.accept('LP')) {
      exprList(c, true);
      c.expect('RP');
      alias(c);
    } else {
      alias(c);
      if (c.acceptAll('INDEXED', 'BY')) c.nm();
      else if (c.at('NOT') && c.peek(1).type === 'INDEXED') c.acceptAll('NOT', 'INDEXED');
    }
  }
  if (c.accept('ON')) expr(c);
  else if (c.accept('USING')) idList(c);
}

/** `(name, …)`. */
export function idList(c: Cursor): string[] {
  c.expect('LP');
  const names = [c.nm()];
  while (c.accept('COMMA')) names.push(c.nm());
  c.expect('RP');
  return names;
}

/**
 * `(name [COLLATE x] [ASC|DESC], …)` where only names are allowed: SQLite parses the COLLATE
 * and sort order and then refuses them (parserAddExprIdListTerm), with its own message.
 */
export function eidList(c: Cursor): string[] {
  c.expect('LP');
  const names: string[] = [];
  do {
    const token = c.peek();
    names.push(c.nm());
    let extra = false;
    if (c.accept('COLLATE')) {
      c.ids();
      extra = true;
    }
    if (c.accept('ASC') || c.accept('DESC')) extra = true;
    if (extra) c.failWith(token.start, `syntax error after column name "${token.text}"`);
  } while (c.accept('COMMA'));
  c.expect('RP');
  return names;
}
