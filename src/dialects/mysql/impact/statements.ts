/**
 * An extracted query (placeholders `$1…$n`, src/core/impact.ts) as the statements MySQL and
 * MariaDB are asked to prepare: split by our MySQL splitter (split.ts: its quoting rules, `#`
 * and `-- ` comments, executable comments), each statement's placeholders turned back into `?`
 * where the server reads code, never inside a string, a backtick name or a comment (`'$1'` is a
 * string and stays one).
 *
 * Client-side expansions: mysql/mysql2 `query()` and PyMySQL do not prepare; they interpolate
 * the values into the text, so some placeholders stand for more than one value. Those the
 * server can still compile are written the way the driver expands them: `IN ?` (a list or a
 * tuple) becomes `IN (?)`, and `INSERT … (a, b) VALUES ?` (nested arrays) one row of as many
 * `?` as columns. Those only the values decide are not checkable: `SET ?` and `UPDATE ?` (an
 * object expanded into `column = value` pairs), `??` (an identifier), `VALUES ?` without a
 * column list.
 */
import type { NotCheckable } from '../../../core/dialect/impact.js';
import { closeQuote, splitMysql, SplitError } from '../split.js';

/** The statements to prepare, or why none of the query's can be. */
export type Preparable = { statements: string[] } | NotCheckable;

/**
 * What PREPARE compiles, names resolved, without running anything (MySQL 8: TABLE as well;
 * MariaDB 10.3+: VALUES). CALL is left out: the server resolves the procedure, its arguments
 * and its body only when it runs (measured on MariaDB 10.11, decision 0029).
 */
const PREPARABLE = new Set(['SELECT', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'WITH', 'VALUES', 'TABLE']);

export function preparableStatements(sql: string): Preparable {
  let split;
  try {
    split = splitMysql(sql).statements;
  } catch (error) {
    // An unterminated quote or comment: the server's parser says so in its own words.
    if (error instanceof SplitError) return { statements: [sql] };
    throw error;
  }
  const statements: string[] = [];
  const skipped: string[] = [];
  for (const statement of split) {
    const text = sql.slice(statement.start, statement.end);
    const word = firstWord(statement.parserText);
    if (!PREPARABLE.has(word)) {
      skipped.push(
        word === 'CALL'
          ? 'CALL: the server resolves a procedure only when it runs'
          : `${word || 'the statement'}: not a query PREPARE compiles`,
      );
      continue;
    }
    const converted = withQuestionMarks(text, statement.parserText);
    if ('notCheckable' in converted) skipped.push(converted.notCheckable);
    else statements.push(converted.sql);
  }
  if (statements.length === 0 && skipped.length > 0) return { notCheckable: skipped.join('; ') };
  return { statements };
}

/** The statement's first keyword, upper-cased, past opening parentheses (`(SELECT …) UNION …`). */
function firstWord(parserText: string): string {
  return /^[\s(]*([A-Za-z]+)/.exec(parserText)?.[1]?.toUpperCase() ?? '';
}

const WORD = /[\p{L}\p{N}_$]/u;

/**
 * `text` with each placeholder (`$n`, or a `?` left as written) rewritten for PREPARE.
 * `parserText` is the same statement with comments blanked, same length (split.ts): placeholders
 * are looked for there, the edits made to `text`.
 */
export function withQuestionMarks(text: string, parserText: string): { sql: string } | NotCheckable {
  const edits: { at: number; length: number; text: string }[] = [];
  let previous = ''; // the last token before the current one: an upper-cased word, or a character
  let previousAt = 0;
  let i = 0;
  while (i < parserText.length) {
    const c = parserText[i] ?? '';
    let placeholder = 0;
    if (c === "'" || c === '"' || c === '`') {
      i = closeQuote(parserText, i, c);
      previous = c === '`' ? 'NAME' : 'STRING';
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '?') {
      if (parserText[i + 1] === '?')
        return { notCheckable: '`??`: the driver fills in an identifier, which only the values name' };
      placeholder = 1;
    } else if (WORD.test(c)) {
      let end = i + 1;
      while (end < parserText.length && WORD.test(parserText[end] ?? '')) end++;
      const word = parserText.slice(i, end);
      // `$1` is a parameter; `a$1` (a name may hold `$`) and `@x` / `@@x` (variables) are not.
      if (/^\$\d+$/.test(word) && parserText[i - 1] !== '@') placeholder = word.length;
      else {
        previous = word.toUpperCase();
        previousAt = i;
        i = end;
        continue;
      }
    }
    if (placeholder === 0) {
      previous = c;
      i++;
      continue;
    }
    const replacement = expansion(previous, parserText.slice(0, previousAt));
    if (typeof replacement !== 'string') return replacement;
    edits.push({ at: i, length: placeholder, text: replacement });
    previous = 'PARAMETER';
    i += placeholder;
  }
  let sql = '';
  let from = 0;
  for (const edit of edits) {
    sql += text.slice(from, edit.at) + edit.text;
    from = edit.at + edit.length;
  }
  return { sql: sql + text.slice(from) };
}

/** What a placeholder after `previous` becomes (`before`: the text before that keyword). */
function expansion(previous: string, before: string): string | NotCheckable {
  if (previous === 'SET' || previous === 'UPDATE')
    return {
      notCheckable: `\`${previous} ?\`: the driver expands an object into column = value pairs, which only the values name`,
    };
  if (previous === 'IN') return '(?)';
  if (previous === 'VALUES' || previous === 'VALUE') {
    const columns = /\(([^()]*)\)\s*$/.exec(before)?.[1];
    if (columns === undefined)
      return {
        notCheckable:
          '`VALUES ?` without a column list: the driver expands rows whose width only the values say',
      };
    return `(${columns
      .split(',')
      .map(() => '?')
      .join(', ')})`;
  }
  return '?';
}
