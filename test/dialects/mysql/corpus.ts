/**
 * The MySQL/MariaDB parser corpus (test/fixtures/mysql/corpus/): files run in name order on a
 * scratch database, so later files alter what earlier ones create. A statement's leading
 * comment may mark it:
 *   -- corpus-supplement: <what>     node-sql-parser alone refuses it, supplement.ts reads it
 *   -- corpus-mysql8-only: <why>     MySQL 8 only (documented), skipped on MariaDB
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { splitMysql } from '../../../src/dialects/mysql/split.js';

export const corpusDir = fileURLToPath(new URL('../../fixtures/mysql/corpus/', import.meta.url));

export interface CorpusStatement {
  file: string;
  /** The statement as written, without its `;`. */
  text: string;
  /** What the parser is given (comments blanked, executable-comment markers removed). */
  parserText: string;
  supplement: string | null;
  mysql8Only: string | null;
}

export function corpusFiles(): { name: string; text: string }[] {
  return readdirSync(corpusDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, text: readFileSync(corpusDir + name, 'utf8') }));
}

export function corpusStatements(): CorpusStatement[] {
  return corpusFiles().flatMap(({ name, text }) =>
    splitMysql(text).statements.map((s) => {
      const marker = (word: string): string | null => {
        for (const c of s.leadingComments) {
          const m = new RegExp(`${word}:\\s*(.*)$`).exec(c);
          if (m) return m[1] ?? '';
        }
        return null;
      };
      return {
        file: name,
        text: text.slice(s.start, s.end),
        parserText: s.parserText,
        supplement: marker('corpus-supplement'),
        mysql8Only: marker('corpus-mysql8-only'),
      };
    }),
  );
}

/**
 * Statements that are syntax errors for MySQL and MariaDB, with the token the error names.
 * `at` is searched in the statement; its first occurrence is where the error must point, and
 * the message names its first word. `server`: how MariaDB refuses it when not ER_PARSE_ERROR.
 */
export const syntaxErrors: { sql: string; at: string | null; server?: string }[] = [
  { sql: 'ALTER TABLE users ADD COLUMN c INT NOT NULL BOGUS', at: 'BOGUS' },
  { sql: 'ALTER TABLE users\n  ADD COLUMN c INT,\n  ADD COLUMN d INT NOT NOT NULL', at: 'NOT NOT' },
  // MariaDB reads a data type as a name, then refuses it as unknown (ER_UNKNOWN_DATA_TYPE, 4161).
  { sql: 'ALTER TABLE users ADD COLUMN d BOGUS TYPE', at: 'BOGUS', server: 'errno 4161' },
  { sql: 'CREATE TABLE t (id INT,)', at: ')' },
  { sql: 'ALTER TABLE users ALGORITHM=FAST', at: 'FAST', server: 'ER_UNKNOWN_ALTER_ALGORITHM' },
  // `at: null`: the error is at the end of the statement.
  { sql: 'ALTER TABLE users ADD COLUMN', at: null },
  { sql: 'ALTER TABLE users DROP COLUMN c,', at: null },
  { sql: 'ALTER TABLE users ADD COLUMN c INT AFTER', at: null },
  { sql: "INSERT INTO users (email) VALUES ('a@example.com'", at: null },
  { sql: 'ALTER TABLE users ADD INDEX (email', at: null },
  { sql: 'DROP TABLE', at: null },
  // Shapes supplement.ts reads, incomplete: still errors, where node-sql-parser stopped.
  { sql: 'ALTER TABLE users CONVERT TO CHARACTER SET', at: 'CONVERT' },
  { sql: 'ALTER TABLE users ALTER COLUMN name SET', at: 'ALTER COLUMN' },
  { sql: 'OPTIMIZE TABLE', at: 'TABLE' },
  { sql: 'SET NAMES', at: null },
];

/** 1-based line and column of character offset `offset` in `text`, counted here, not by the parser. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
}
