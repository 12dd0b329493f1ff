/**
 * Standalone `.sql` query files (outside migration folders, which the walk skips): each
 * statement that is a query is one, at its first keyword. sqlc files name each query with a
 * `-- name: GetUser :one` header and take `$1`, `@name` and `sqlc.arg(name)` parameters;
 * statements that are not queries (a schema's CREATE TABLE) are not listed.
 */
import type { FileContext } from './common.js';
import { firstCodeIndex, splitStatements } from './sql-text.js';

const SQLC_HEADER = /--\s*name:\s*(\w+)\s+:(\w+)/g;

export function extractSqlFile(ctx: FileContext): void {
  for (const statement of splitStatements(ctx.text)) {
    const text = ctx.text.slice(statement.start, statement.end);
    const code = firstCodeIndex(text);
    const header = [...text.slice(0, code).matchAll(SQLC_HEADER)].at(-1);
    const api = header ? `sqlc ${header[1] ?? ''} :${header[2] ?? ''}` : 'query file';
    ctx.add(
      { pieces: [{ text: text.slice(code), at: statement.start + code }] },
      api,
      { at: true, colon: true },
      true,
    );
  }
}
