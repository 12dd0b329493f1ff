/**
 * Splits a file into statements the way the sqlite3 shell does (sqlite3_complete, complete.c):
 * a statement ends at a `;` outside strings, quoted identifiers and comments, except inside
 * the body of a CREATE TRIGGER, which ends only at `; END ;`. Nothing else in SQLite's
 * grammar contains a `;`. Offsets are UTF-16 offsets into the file.
 * https://www.sqlite.org/c3ref/complete.html
 */
import { significant, tokenize, type Token } from './lexer.js';

export interface SplitStatement {
  /** Offset of the statement's first token. */
  start: number;
  /** Offset just past its last token (the `;` and trailing comments excluded). */
  end: number;
  /** The tokens the parser reads (no spaces or comments), WINDOW/OVER/FILTER resolved. */
  tokens: Token[];
  /** The `;` that ends it, or null at the end of the file. */
  terminator: Token | null;
  /** Comments between the previous statement (or the file's start) and this one. */
  leadingComments: string[];
}

export interface SplitFile {
  statements: SplitStatement[];
  /** Comments after the last statement. */
  trailingComments: string[];
}

/** complete.c's token classes and transition table, indexed [state][token]. */
const SEMI = 0;
const WS = 1;
const OTHER = 2;
const EXPLAIN = 3;
const CREATE = 4;
const TEMP = 5;
const TRIGGER = 6;
const END = 7;
const TRANSITIONS = [
  [1, 0, 2, 3, 4, 2, 2, 2], // 0 INVALID
  [1, 1, 2, 3, 4, 2, 2, 2], // 1 START
  [1, 2, 2, 2, 2, 2, 2, 2], // 2 NORMAL
  [1, 3, 3, 2, 4, 2, 2, 2], // 3 EXPLAIN
  [1, 4, 2, 2, 2, 4, 5, 2], // 4 CREATE
  [6, 5, 5, 5, 5, 5, 5, 5], // 5 TRIGGER
  [6, 6, 5, 5, 5, 5, 5, 7], // 6 SEMI (inside a trigger body)
  [1, 7, 5, 5, 5, 5, 5, 5], // 7 END
] as const;

function completeClass(token: Token): number {
  if (token.type === 'SEMI') return SEMI;
  if (token.type === 'SPACE' || token.type === 'COMMENT') return WS;
  // complete.c looks at bare words only: a quoted "create" is just a name.
  if (!/^[A-Za-z]/.test(token.text)) return OTHER;
  switch (token.text.toUpperCase()) {
    case 'EXPLAIN':
      return EXPLAIN;
    case 'CREATE':
      return CREATE;
    case 'TEMP':
    case 'TEMPORARY':
      return TEMP;
    case 'TRIGGER':
      return TRIGGER;
    case 'END':
      return END;
    default:
      return OTHER;
  }
}

export function splitSqlite(sql: string): SplitFile {
  const statements: SplitStatement[] = [];
  let pending: string[] = [];
  let current: Token[] = [];
  let afterLast: string[] = []; // comments after the current statement's last token
  let state = 0;
  const finish = (terminator: Token | null): void => {
    const code = current.filter((t) => t.type !== 'SPACE' && t.type !== 'COMMENT');
    const first = code[0];
    const last = code[code.length - 1];
    if (first && last) {
      statements.push({
        start: first.start,
        end: last.end,
        tokens: significant(code),
        terminator,
        leadingComments: pending,
      });
      pending = afterLast;
    } else {
      pending.push(...afterLast);
    }
    current = [];
    afterLast = [];
  };
  for (const token of tokenize(sql)) {
    const cls = completeClass(token);
    const inside = current.some((t) => t.type !== 'SPACE' && t.type !== 'COMMENT');
    if (token.type === 'COMMENT') (inside ? afterLast : pending).push(token.text);
    else if (token.type !== 'SPACE' && token.type !== 'SEMI') afterLast = [];
    state = TRANSITIONS[state]?.[cls] ?? 2;
    if (token.type === 'SEMI' && state === 1) {
      finish(token);
      continue;
    }
    current.push(token);
  }
  finish(null);
  return { statements, trailingComments: pending };
}
