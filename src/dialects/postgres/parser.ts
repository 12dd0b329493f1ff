/**
 * The only importer of libpg-query: PostgreSQL's own parser compiled to WebAssembly.
 * Locations it reports are UTF-8 byte offsets; `stmt_location` is absent when 0 and
 * `stmt_len` is absent for a last statement without a semicolon.
 */
import type { ParseResult } from '@pgsql/types';
import { SourceError } from '../../core/errors.js';
import type { ParsedStatement } from '../../core/analysis.js';
import { commentsIn, SourceText } from '../../sql/source.js';
import type * as LibPgQueryModule from 'libpg-query';

// Loaded lazily: commands that never parse (inspect) do not pay for the WebAssembly module.
type LibPgQuery = typeof LibPgQueryModule;
let loaded: LibPgQuery | undefined;

/** Load the WebAssembly parser once per process (about 30 ms). */
export async function loadPostgresParser(): Promise<void> {
  if (loaded) return;
  const module = await import('libpg-query');
  await module.loadModule();
  loaded = module;
}

function parser(): LibPgQuery {
  if (!loaded) throw new Error('call loadPostgresParser() before parsing');
  return loaded;
}

interface SqlErrorDetails {
  message?: string;
  cursorPosition?: number;
}

/**
 * Split and parse a file's SQL. A syntax error becomes a SourceError naming the file, line
 * and column (`file:line:column: syntax error at or near "x"`).
 */
export function parsePostgres(sql: string, file: string): ParsedFile {
  // libpg-query refuses an empty string ("Query cannot be empty") while PostgreSQL runs one as
  // an empty query, and migration tools hand it placeholder files; whitespace and comments
  // alone already parse to no statements.
  if (sql.trim() === '') return { statements: [], comments: [] };
  const source = new SourceText(sql);
  let result: ParseResult;
  try {
    result = parser().parseSync(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: SqlErrorDetails }).sqlDetails;
    // Unlike statement locations, the error cursor is a 0-based offset in characters (code
    // points, as PostgreSQL counts them); JavaScript strings count UTF-16 units.
    const at = source.position(utf16Offset(sql, details?.cursorPosition ?? 0));
    const message = details?.message ?? (error as Error).message;
    throw new SourceError({ file, line: at.line, column: at.column }, message);
  }
  const statements: ParsedStatement[] = [];
  let previousEnd = 0;
  for (const raw of result.stmts ?? []) {
    const startByte = raw.stmt_location ?? 0;
    const start = source.charOffset(startByte);
    const end = raw.stmt_len ? source.charOffset(startByte + raw.stmt_len) : sql.length;
    const at = source.position(start);
    statements.push({
      file,
      line: at.line,
      column: at.column,
      sql: sql.slice(start, end).trim(),
      leadingComments: commentsIn(sql.slice(previousEnd, start)),
      ast: raw.stmt,
    });
    previousEnd = end;
  }
  const trailing = commentsIn(sql.slice(previousEnd));
  return { statements, comments: [...statements.flatMap((s) => s.leadingComments), ...trailing] };
}

export interface ParsedFile {
  statements: ParsedStatement[];
  /** Every comment outside a statement, in order (file-level directives live here). */
  comments: string[];
}

/** UTF-16 offset of the `codePoints`-th code point: a character outside the BMP takes two units. */
function utf16Offset(text: string, codePoints: number): number {
  let offset = 0;
  for (let n = 0; n < codePoints && offset < text.length; n++) {
    offset += (text.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1;
  }
  return offset;
}
