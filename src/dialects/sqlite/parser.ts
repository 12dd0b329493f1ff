/**
 * TODO: split a migration file into statements with their position (1-based line and column,
 * in UTF-16 units), their text without the trailing semicolon, the comments before each (where
 * ignore directives live) and the parser's AST, as ../postgres/parser.ts does. The parser is a
 * dependency: choose one that parses SQLite's own grammar, and record it in docs/decisions/.
 * Syntax errors are SourceErrors (file:line:column: message).
 */
import type { ParsedFile } from '../../core/dialect/index.js';
import { notImplemented } from './not-implemented.js';

export function parseSqlite(_sql: string, _file: string): ParsedFile {
  return notImplemented('parsing', 'parser.ts');
}
