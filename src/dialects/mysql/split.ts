/**
 * Splits a MySQL/MariaDB file into statements the way the `mysql` client does, because no
 * parser we evaluated gives statement offsets (docs/decisions/0019-mysql-parser.md). It knows
 * quoted strings ('…', "…" with backslash escapes and doubled quotes), backtick identifiers,
 * the three comment styles (`# …`, `-- …` with the space MySQL requires, `/* … *\/`) and
 * executable comments (`/*! … *\/`, `/*!50100 … *\/`, MariaDB's `/*M!100100 … *\/`), whose
 * text is SQL the server runs. Offsets are UTF-16 offsets into the file (JavaScript's).
 *
 * Stored programs: the client's `DELIMITER xx` lines change the terminator, as in dumps and
 * Flyway scripts; without them, the `;` inside the BEGIN … END body of a CREATE TRIGGER,
 * PROCEDURE, FUNCTION or EVENT does not end the statement (Flyway and golang-migrate send such
 * a statement whole, and the server takes it).
 */

export interface SplitStatement {
  /** Offset of the statement's first character (a keyword, or `/*!` of an executable comment). */
  start: number;
  /** Offset just past its last character, before the `;` (trailing whitespace excluded). */
  end: number;
  /**
   * The statement's text, same length as `file.slice(start, end)`, with comments blanked and
   * executable-comment markers removed, so a parser sees plain SQL and its offsets are ours.
   */
  parserText: string;
  /** Comments between the previous statement (or the file's start) and this one. */
  leadingComments: string[];
}

export interface SplitFile {
  statements: SplitStatement[];
  /** Comments after the last statement. */
  trailingComments: string[];
}

/** An unterminated quote or comment: where it opened, and what it is. */
export class SplitError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const EXECUTABLE = /^\/\*(?:M?!)(\d{5,6})?/;

export function splitMysql(sql: string): SplitFile {
  const statements: SplitStatement[] = [];
  let pending: string[] = []; // comments before the current statement starts
  let start = -1; // start of the current statement, -1 between statements
  let chars: string[] = []; // parser text of the current statement, built piece by piece
  let lastCode = -1; // offset just past the last character that is not whitespace or comment
  let inside: { at: number; text: string }[] = []; // comments within the current statement
  let i = 0;
  let delimiter = ';';
  let words: string[] = []; // the current statement's first words, upper-cased
  let depth = 0; // BEGIN … END nesting inside a stored program's body
  let previousWord = '';

  const blank = (text: string): string => text.replace(/[^\n]/g, ' ');
  const finish = (): void => {
    if (start >= 0) {
      statements.push({
        start,
        end: lastCode,
        parserText: chars.join('').slice(0, lastCode - start),
        leadingComments: pending,
      });
      // A comment after the statement's last token (`SELECT 1 -- why` with no `;`) belongs
      // between statements, where directives are read.
      pending = inside.filter((c) => c.at >= lastCode).map((c) => c.text);
    }
    start = -1;
    chars = [];
    inside = [];
    words = [];
    depth = 0;
  };
  // Code (not a comment) from `from` to `to`: opens a statement if none is open.
  const code = (from: number, to: number, text = sql.slice(from, to)): void => {
    if (start < 0) start = from;
    chars.push(text);
    lastCode = to;
  };
  const comment = (from: number, to: number): void => {
    const text = sql.slice(from, to);
    if (start < 0) pending.push(text);
    else {
      chars.push(blank(text));
      inside.push({ at: from, text });
    }
  };

  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    const command = start < 0 ? DELIMITER.exec(sql.slice(i, i + 80)) : null;
    if (command) {
      const newline = sql.indexOf('\n', i);
      delimiter = command[1] ?? ';';
      i = newline < 0 ? sql.length : newline;
    } else if (delimiter !== ';' && sql.startsWith(delimiter, i)) {
      finish();
      i += delimiter.length;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = closeQuote(sql, i, c);
      code(i, end);
      i = end;
    } else if (c === '#' || (c === '-' && next === '-' && /^[\s]?$/.test(sql[i + 2] ?? ''))) {
      // `--` starts a comment only before whitespace or the end: `1--1` is arithmetic.
      const newline = sql.indexOf('\n', i);
      const end = newline < 0 ? sql.length : newline;
      comment(i, end);
      i = end;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw new SplitError(i, 'unterminated /* comment');
      const marker = EXECUTABLE.exec(sql.slice(i, i + 10));
      if (marker) {
        // The inside is SQL the server runs (a `;` in it does not end the statement); the markers
        // (`/*!50100` and `*/`) become spaces for the parser.
        const open = marker[0].length;
        code(i, i + open, ' '.repeat(open));
        i += open;
        const inner = innerExecutable(sql, i);
        if (inner < 0) throw new SplitError(i - open, 'unterminated /*! comment');
        code(i, inner);
        code(inner, inner + 2, '  ');
        i = inner + 2;
      } else {
        comment(i, close + 2);
        i = close + 2;
      }
    } else if (c === ';' && delimiter === ';' && depth === 0) {
      finish();
      i++;
    } else if (/[A-Za-z_]/.test(c) && !/[\w$]/.test(sql[i - 1] ?? '')) {
      const end = wordEnd(sql, i, delimiter);
      const word = sql.slice(i, end).toUpperCase();
      if (words.length < 8) words.push(word);
      if (isStoredProgram(words)) depth = nesting(depth, word, previousWord, sql, end);
      previousWord = word;
      code(i, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (start >= 0) chars.push(c);
      i++;
    } else {
      code(i, i + 1);
      i++;
    }
  }
  finish();
  return { statements, trailingComments: pending };
}

/** The mysql client's command, alone on its line: `DELIMITER ;;`. */
const DELIMITER = /^DELIMITER[ \t]+(\S+)[ \t]*(?:\r?\n|$)/i;

/** Where the word at `from` ends: at the first non-identifier character, or the delimiter (`END$$`). */
function wordEnd(sql: string, from: number, delimiter: string): number {
  let i = from;
  while (i < sql.length && /[\w$]/.test(sql[i] ?? '') && !(delimiter !== ';' && sql.startsWith(delimiter, i)))
    i++;
  return i;
}

/** CREATE [OR REPLACE] [DEFINER = …] [AGGREGATE] TRIGGER|PROCEDURE|FUNCTION|EVENT: a body may follow. */
function isStoredProgram(words: readonly string[]): boolean {
  return words[0] === 'CREATE' && words.some((w) => /^(TRIGGER|PROCEDURE|FUNCTION|EVENT)$/.test(w));
}

/**
 * BEGIN and CASE open a block that a plain END closes (a CASE expression ends with END, a CASE
 * statement with END CASE: either way one END per CASE). `END IF`, `END LOOP`, `END WHILE` and
 * `END REPEAT` close blocks that opened nothing here.
 */
function nesting(depth: number, word: string, previous: string, sql: string, after: number): number {
  if (word === 'BEGIN' || (word === 'CASE' && previous !== 'END')) return depth + 1;
  if (word !== 'END' || depth === 0) return depth;
  const next = /^\s*([A-Za-z]+)/.exec(sql.slice(after, after + 20))?.[1]?.toUpperCase();
  return next && /^(IF|LOOP|WHILE|REPEAT)$/.test(next) ? depth : depth - 1;
}

/** Offset just past the quote that closes the one at `open` (throws SplitError when none does). */
export function closeQuote(sql: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\' && quote !== '`') i += 2;
    else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  const what = quote === '`' ? 'identifier' : 'string';
  throw new SplitError(open, `unterminated quoted ${what} (${quote})`);
}

/** Offset of the `*\/` closing an executable comment whose body starts at `from`, skipping quotes. */
function innerExecutable(sql: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    const c = sql[i] ?? '';
    if (c === "'" || c === '"' || c === '`') i = closeQuote(sql, i, c);
    else if (c === '*' && sql[i + 1] === '/') return i;
    else i++;
  }
  return -1;
}
