/**
 * SQL text as the extractor needs it: where the code (not a string literal, a quoted identifier
 * or a comment) is, so that placeholders are found only there, statements of a query file are
 * split at their own semicolons, and the first keyword says whether the text is a query at all.
 * A lexer of PostgreSQL's quoting rules, not a parser: the server parses the query when it is
 * checked.
 */

/** Where an interpolated value (`${expr}` of a tagged template) stood in the joined text. */
export const PARAM_MARK = '\uE000';

/** The placeholder syntaxes a driver understands; `$1` is always kept as it is. */
export interface PlaceholderStyles {
  /** `?` (JDBC, sqlx, mysql) and `?1` (JPA). */
  question?: boolean;
  /** `%s` and `%(name)s` (Python DB-API). */
  percent?: boolean;
  /** `:name` (SQLAlchemy, JPA, Spring named parameters, sqlx Named*). */
  colon?: boolean;
  /** `@name` (Npgsql, sqlc) and `sqlc.arg(name)`. */
  at?: boolean;
}

const IDENT = /[A-Za-z0-9_$\u0080-\uFFFF]/;
const IDENT_START = /[A-Za-z_\u0080-\uFFFF]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/;

/**
 * Calls `code(i)` for every character outside literals, quoted identifiers and comments; it
 * returns how many characters it consumed (0 or nothing: one). Returns nothing.
 */
export function scanCode(text: string, code: (i: number) => number | void): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text.startsWith('/*', i)) depth++;
        else if (text.startsWith('*/', i)) depth--;
        else {
          i++;
          continue;
        }
        i += 2;
      }
    } else if (c === "'") {
      // E'…' strings take backslash escapes; standard strings only double the quote.
      const escapes = /[Ee]/.test(text[i - 1] ?? '') && !IDENT.test(text[i - 2] ?? '');
      i++;
      while (i < n) {
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") break;
        else i++;
      }
      i++;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      i = end < 0 ? n : end + 1;
    } else if (c === '$' && !IDENT.test(text[i - 1] ?? '') && DOLLAR_TAG.test(text.slice(i, i + 64))) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64))?.[0] ?? '$$';
      const end = text.indexOf(tag, i + tag.length);
      i = end < 0 ? n : end + tag.length;
    } else {
      i += Math.max(1, code(i) ?? 1);
    }
  }
}

/**
 * Every placeholder of the given styles (and every PARAM_MARK) becomes `$n`, numbered after the
 * highest `$n` already present, in order of first appearance; a named one reuses its number.
 * `parameters` is the highest number used, which is what PREPARE needs to declare.
 */
export function normalisePlaceholders(
  text: string,
  styles: PlaceholderStyles = {},
): { sql: string; parameters: number } {
  let highest = 0;
  scanCode(text, (i) => {
    const m =
      text[i] === '$' && !IDENT.test(text[i - 1] ?? '') ? /^\$(\d+)/.exec(text.slice(i, i + 12)) : null;
    if (m) highest = Math.max(highest, Number(m[1]));
    return m ? m[0].length : 1;
  });
  const names = new Map<string, number>();
  const percentUsed = styles.percent === true && /%(s|\([A-Za-z_]\w*\)s)/.test(text);
  const edits: { at: number; length: number; text: string }[] = [];
  const number = (name: string | null): string => {
    if (name === null) return `$${++highest}`;
    let n = names.get(name);
    if (n === undefined) names.set(name, (n = ++highest));
    return `$${n}`;
  };
  scanCode(text, (i) => {
    const c = text[i] ?? '';
    const prev = text[i - 1] ?? '';
    const rest = text.slice(i, i + 80);
    let m: RegExpExecArray | null;
    const edit = (length: number, replacement: string): number => {
      edits.push({ at: i, length, text: replacement });
      return length;
    };
    if (c === PARAM_MARK) return edit(1, number(null));
    if (styles.question && c === '?') {
      if (text[i + 1] === '?') return 2; // `??`: JDBC's escaped question mark, and jsonb's `?` operator
      if (/[|&]/.test(text[i + 1] ?? '')) return 2; // jsonb `?|` and `?&`
      if ((m = /^\?(\d+)/.exec(rest))) return edit(m[0].length, number(`?${m[1]}`));
      return edit(1, number(null));
    }
    if (styles.percent && c === '%') {
      if (text[i + 1] === '%') return percentUsed ? edit(2, '%') : 2;
      if (text[i + 1] === 's') return edit(2, number(null));
      if ((m = /^%\(([A-Za-z_]\w*)\)s/.exec(rest))) return edit(m[0].length, number(`%${m[1]}`));
      return 1;
    }
    if (styles.colon && c === ':' && prev !== ':' && !IDENT.test(prev) && text[i + 1] !== ':') {
      if ((m = /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) return edit(m[0].length, number(`:${m[1]}`));
    }
    if (styles.at && c === '@' && prev !== '@' && !IDENT.test(prev) && IDENT_START.test(text[i + 1] ?? '')) {
      if ((m = /^@([A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) return edit(m[0].length, number(`:${m[1]}`));
    }
    if (styles.at && /[sS]/.test(c) && !IDENT.test(prev)) {
      m = /^sqlc\.n?(arg|slice)\(\s*['"]?([A-Za-z_]\w*)['"]?\s*\)/i.exec(rest);
      if (m) return edit(m[0].length, number(`:${m[2]}`));
    }
    return IDENT.test(c) ? identLength(text, i) : 1;
  });
  let sql = '';
  let from = 0;
  for (const e of edits) {
    sql += text.slice(from, e.at) + e.text;
    from = e.at + e.length;
  }
  return { sql: sql + text.slice(from), parameters: highest };
}

/** Skips a whole word, so that `a:b`'s `b` or `x?` inside a name is not looked at alone. */
function identLength(text: string, i: number): number {
  let j = i;
  while (j < text.length && IDENT.test(text[j] ?? '')) j++;
  return j - i;
}

/** The statements of a query file: offsets of each statement's text, without the semicolon. */
export function splitStatements(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  scanCode(text, (i) => {
    if (text[i] === ';') {
      out.push({ start, end: i });
      start = i + 1;
    }
    return 1;
  });
  out.push({ start, end: text.length });
  return out.filter((s) => firstKeyword(text.slice(s.start, s.end)) !== null);
}

/** The first word of the SQL, upper-cased, after comments and opening parentheses; null when none. */
export function firstKeyword(sql: string): string | null {
  let word: string | null = null;
  scanCode(sql, (i) => {
    if (word !== null) return sql.length;
    const m = /^[A-Za-z]+/.exec(sql.slice(i, i + 16));
    if (m) word = m[0].toUpperCase();
    return m ? m[0].length : 1;
  });
  return word;
}

/** Statements PREPARE accepts (and CALL), which is what a query checked by the server is; REPLACE is MySQL's. */
const QUERY_KEYWORDS = new Set([
  'SELECT',
  'INSERT',
  'REPLACE',
  'UPDATE',
  'DELETE',
  'WITH',
  'VALUES',
  'MERGE',
  'TABLE',
  'CALL',
]);

/** Other statements a service may send: SQL, but nothing to check against the schema. */
const OTHER_SQL = new Set(
  'ALTER ANALYZE BEGIN CHECKPOINT CLOSE CLUSTER COMMENT COMMIT COPY CREATE DEALLOCATE DECLARE DESCRIBE DISCARD DO DROP END EXECUTE EXPLAIN FETCH FLUSH GRANT HANDLER LISTEN LOAD LOCK MOVE NOTIFY OPTIMIZE PREPARE REFRESH REINDEX RELEASE RENAME REPAIR RESET REVOKE ROLLBACK SAVEPOINT SECURITY SET SHOW START TRUNCATE UNLISTEN UNLOCK USE VACUUM'.split(
    ' ',
  ),
);

/** `query`: a statement to check; `other`: SQL that is not a query (BEGIN, DDL); `text`: not SQL. */
export function sqlKind(sql: string): 'query' | 'other' | 'text' {
  const word = firstKeyword(sql);
  if (word === null) return 'text';
  if (QUERY_KEYWORDS.has(word)) return 'query';
  return OTHER_SQL.has(word) ? 'other' : 'text';
}

/** Offset of the first character of code (not blank, not a comment), or the text's length. */
export function firstCodeIndex(text: string): number {
  let at = -1;
  scanCode(text, (i) => {
    if (at < 0 && !/\s/.test(text[i] ?? '')) at = i;
    return at < 0 ? 1 : text.length;
  });
  return at < 0 ? text.length : at;
}
