/**
 * The safe alternatives of SQLite findings run on the library: the rule-test schema
 * (schema.sql) with a few rows (rows.sql) in a database file, the fixture's statements before
 * the finding's (all of them, for what comes after a rebuild) applied as far as SQLite accepts
 * them, then the alternative, which must run without an error. The rename-column triggers are also checked to keep both columns in step.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import { DEFAULT_CONFIG, type RunnerName } from '../../../src/config/types.js';
import { dialectNamed } from '../../../src/dialects/index.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { tempDatabase } from '../../dialects/sqlite/support.js';
import { SQLITE_FIXTURE_DIR, sqliteTestSchema } from '../../support/sqlite-schema-fixture.js';

const read = (name: string) => readFileSync(new URL(name, SQLITE_FIXTURE_DIR), 'utf8');

let base: { db: Database.Database; path: string; close(): void };
let copies = 0;

beforeAll(() => {
  base = tempDatabase();
  base.db.exec(read('schema.sql'));
  base.db.exec(read('rows.sql'));
});
afterAll(() => base.close());

/** A copy of the base database (in its temp directory, removed with it). */
function copy(): Database.Database {
  const path = join(base.path, '..', `copy-${++copies}.db`);
  copyFileSync(base.path, path);
  return new Database(path);
}

interface Case {
  file: string;
  rule: string;
  line: number;
  before: string[];
  safe: string;
}

async function casesOf(file: string, runner: RunnerName = 'plain'): Promise<Case[]> {
  const result = await analyze({
    files: [inlineMigration(file, read(file), runner)],
    snapshot: sqliteTestSchema(),
    config: { ...DEFAULT_CONFIG, rules: {} },
    dialect: dialectNamed('sqlite'),
  });
  return result.statements.flatMap((s, i) =>
    s.findings.flatMap((f) =>
      f.safeAlternative
        ? [
            {
              file,
              rule: f.rule,
              line: s.line,
              // What a rebuild dropped is made again after it: the whole file first.
              before: result.statements
                .slice(0, f.safeAlternative.startsWith('-- after ') ? undefined : i)
                .map((b) => b.sql),
              safe: f.safeAlternative,
            },
          ]
        : [],
    ),
  );
}

const FILES: [string, RunnerName][] = [
  ['unsafe.sql', 'plain'],
  ['rebuild.sql', 'plain'],
  ['rebuild-runner.sql', 'drizzle'],
];

describe('SQLite safe alternatives run on the library', () => {
  it('every fixture has alternatives to run, and each runs', async () => {
    const all = (await Promise.all(FILES.map(([f, r]) => casesOf(f, r)))).flat();
    expect(all.length).toBeGreaterThan(15);
    const failures: string[] = [];
    for (const c of all) {
      const db = copy();
      // What comes after a rebuild is run after one that went through.
      if (c.safe.startsWith('-- after ')) db.pragma('foreign_keys = OFF');
      try {
        for (const statement of c.before) {
          try {
            db.exec(statement);
          } catch {
            // Refused as the finding said: it changed nothing.
          }
        }
        if (db.inTransaction) db.exec('COMMIT');
        db.exec(c.safe);
      } catch (e) {
        failures.push(`${c.file}:${c.line} ${c.rule}: ${(e as Error).message}\n${c.safe}`);
      } finally {
        if (db.inTransaction) db.exec('ROLLBACK');
        db.close();
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('rename-column: the expand/contract triggers keep both names in step', () => {
  it('writes through either name reach the other, and the batch copies the rows already there', async () => {
    const result = await analyze({
      files: [inlineMigration('r.sql', 'ALTER TABLE users RENAME COLUMN nickname TO handle', 'plain')],
      snapshot: sqliteTestSchema(),
      config: { ...DEFAULT_CONFIG, rules: {} },
      dialect: dialectNamed('sqlite'),
    });
    const safe =
      result.statements[0]?.findings.find((f) => f.rule === 'rename-column')?.safeAlternative ?? '';
    expect(safe).toMatch(/CREATE TRIGGER/);
    const db = copy();
    try {
      db.exec(safe);
      const row = (id: number) => db.prepare('SELECT nickname, handle FROM users WHERE id = ?').get(id);
      // The batch ran once: the existing rows have both.
      expect(row(1)).toEqual({ nickname: 'annie', handle: 'annie' });
      db.exec(
        "INSERT INTO users (id, email, name, nickname) VALUES (10, 'old@example.com', 'Old', 'old-code')",
      );
      expect(row(10)).toEqual({ nickname: 'old-code', handle: 'old-code' });
      db.exec(
        "INSERT INTO users (id, email, name, handle) VALUES (11, 'new@example.com', 'New', 'new-code')",
      );
      expect(row(11)).toEqual({ nickname: 'new-code', handle: 'new-code' });
      db.exec("UPDATE users SET nickname = 'renamed-old' WHERE id = 1");
      expect(row(1)).toEqual({ nickname: 'renamed-old', handle: 'renamed-old' });
      db.exec("UPDATE users SET handle = 'renamed-new' WHERE id = 1");
      expect(row(1)).toEqual({ nickname: 'renamed-new', handle: 'renamed-new' });
    } finally {
      db.close();
    }
  });
});
