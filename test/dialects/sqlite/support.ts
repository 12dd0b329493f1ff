/** Real SQLite databases for the sqlite suites: files in a temp directory, removed after. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { splitSqlite } from '../../../src/dialects/sqlite/syntax/split.js';

export const corpusDir = fileURLToPath(new URL('../../fixtures/sqlite/corpus/', import.meta.url));

export function corpusFiles(): { name: string; text: string }[] {
  return readdirSync(corpusDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, text: readFileSync(corpusDir + name, 'utf8') }));
}

/** Each statement of a corpus file as written (without its `;`). */
export function statementsOf(text: string): string[] {
  return splitSqlite(text).statements.map((s) => text.slice(s.start, s.end));
}

/** A database file in a fresh temp directory; `close()` removes both. */
export function tempDatabase(): { db: Database.Database; path: string; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'schemapilot-sqlite-'));
  const path = join(dir, 'test.db');
  const db = new Database(path);
  return {
    db,
    path,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SYNTAX =
  /syntax error|incomplete input|unrecognized token|unknown table option|error in generated column|after column name/;

/** How SQLite's parser judges `sql` on `db`: accepted, a syntax error (its message), or a later error. */
export function sqliteVerdict(
  db: Database.Database,
  sql: string,
): { kind: 'ok' | 'syntax' | 'semantic'; message: string } {
  try {
    db.prepare(sql);
    return { kind: 'ok', message: '' };
  } catch (error) {
    const message = (error as Error).message;
    return { kind: SYNTAX.test(message) ? 'syntax' : 'semantic', message };
  }
}
