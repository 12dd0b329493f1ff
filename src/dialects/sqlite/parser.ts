/**
 * Parses a file of SQLite SQL with our own tokenizer, splitter and recursive-descent parser
 * (syntax/), written from SQLite's grammar (parse.y) and checked against the library on a
 * corpus (docs/decisions/0032-sqlite-parser.md). No package is loaded: parsing costs nothing at
 * startup, and `analyze` works where better-sqlite3's native binary is missing.
 */
import type { ParsedStatement } from '../../core/analysis.js';
import type { ParsedFile } from '../../core/dialect/language.js';
import { SourceError } from '../../core/errors.js';
import { SourceText } from '../../sql/source.js';
import type { SqliteStatement } from './ast.js';
import { Cursor, SqliteSyntaxError } from './syntax/cursor.js';
import { splitSqlite } from './syntax/split.js';
import { statement } from './syntax/statement.js';

/** One statement's text (from its first token to its last, `;` excluded), parsed alone. */
export function parseSqliteStatement(sql: string): SqliteStatement {
  const split = splitSqlite(sql);
  const only = split.statements[0];
  if (!only || split.statements.length > 1) throw new Error('expected exactly one SQLite statement');
  return statement(new Cursor(sql, only.tokens, only.terminator, sql.length));
}

/**
 * Split and parse a file. A statement SQLite would refuse to parse is a SourceError naming the
 * file, line and column, worded as SQLite words it (`near "x": syntax error`).
 */
export function parseSqlite(sql: string, file: string): ParsedFile {
  const source = new SourceText(sql);
  const split = splitSqlite(sql);
  const statements: ParsedStatement[] = [];
  for (const s of split.statements) {
    let ast: SqliteStatement;
    try {
      ast = statement(new Cursor(sql, s.tokens, s.terminator, sql.length));
    } catch (error) {
      if (!(error instanceof SqliteSyntaxError)) throw error;
      const at = source.position(error.offset);
      throw new SourceError({ file, line: at.line, column: at.column }, error.message);
    }
    const at = source.position(s.start);
    statements.push({
      file,
      line: at.line,
      column: at.column,
      sql: sql.slice(s.start, s.end),
      leadingComments: s.leadingComments,
      ast,
    });
  }
  return {
    statements,
    comments: [...statements.flatMap((s) => s.leadingComments), ...split.trailingComments],
  };
}
