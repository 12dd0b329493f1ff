/**
 * Migration files as text. Editors on Windows save UTF-8 with a byte order mark; PostgreSQL would
 * read it as part of the first keyword, and our markers (`-- migrate:up`) would not match on the
 * first line, so it is dropped on reading. Columns stay right: editors do not count it either.
 */
import { readFileSync } from 'node:fs';

const BOM = '\uFEFF';

export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

export function hasBom(text: string): boolean {
  return text.startsWith(BOM);
}

/** A file's text without its byte order mark. */
export function readSql(path: string): string {
  return stripBom(readFileSync(path, 'utf8'));
}

/**
 * Whether the text holds no statement at all: empty, blank, comments and semicolons only
 * (placeholders, `-- Add migration script here`). Comments are removed without regard to quoting,
 * which is enough here: in a file with a statement, the statement's first word survives.
 */
export function holdsNoStatement(sql: string): boolean {
  return (
    sql
      .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '')
      .replace(/[\s;]/g, '')
      .replace(BOM, '') === ''
  );
}
