/**
 * The parser against SQLite itself: every corpus statement runs on the real library (in order,
 * one database per file) and parses; then thousands of variants of them (a token dropped,
 * doubled, swapped with the next, or the statement cut after it) get the same verdict from our
 * parser as from SQLite's, with the same message. Variants SQLite refuses for a reason other
 * than syntax while our parser calls them syntax errors are counted apart: SQLite checks some
 * things (a non-constant DEFAULT, the width of VALUES rows) as it parses, before it reaches the
 * token that is wrong; they must stay few.
 */
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.js';
import { parseSqlite, parseSqliteStatement } from '../../../src/dialects/sqlite/parser.js';
import { tokenize } from '../../../src/dialects/sqlite/syntax/lexer.js';
import { splitSqlite } from '../../../src/dialects/sqlite/syntax/split.js';
import { corpusFiles, sqliteVerdict, statementsOf, tempDatabase } from './support.js';

function ours(sql: string): { kind: 'ok' | 'syntax'; message: string } {
  try {
    parseSqliteStatement(sql);
    return { kind: 'ok', message: '' };
  } catch (error) {
    if (
      error instanceof SourceError ||
      !(error instanceof Error) ||
      error.message.startsWith('expected exactly')
    )
      throw error;
    return { kind: 'syntax', message: error.message };
  }
}

function variants(sql: string): string[] {
  const tokens = tokenize(sql).filter((t) => t.type !== 'SPACE' && t.type !== 'COMMENT');
  const out = new Set<string>();
  tokens.forEach((t, k) => {
    out.add(sql.slice(0, t.start) + sql.slice(t.end));
    out.add(`${sql.slice(0, t.end)} ${t.text}${sql.slice(t.end)}`);
    out.add(sql.slice(0, t.end));
    const next = tokens[k + 1];
    if (next) out.add(`${sql.slice(0, t.start)}${next.text} ${t.text}${sql.slice(next.end)}`);
  });
  return [...out].filter((v) => splitSqlite(v).statements.length === 1);
}

describe('sqlite parser on the corpus', () => {
  for (const { name, text } of corpusFiles()) {
    it(`${name}: every statement runs on SQLite and parses`, () => {
      const parsed = parseSqlite(text, name);
      const statements = statementsOf(text);
      expect(parsed.statements.map((s) => s.sql)).toEqual(statements);
      const { db, close } = tempDatabase();
      try {
        for (const sql of statements) db.exec(sql);
      } finally {
        close();
      }
    });
  }

  it('agrees with SQLite on variants of every corpus statement, message included', () => {
    let compared = 0;
    const masked: string[] = [];
    const disagreements: string[] = [];
    for (const { name, text } of corpusFiles()) {
      const { db, close } = tempDatabase();
      try {
        for (const sql of statementsOf(text)) {
          for (const v of variants(sql)) {
            compared++;
            const theirs = sqliteVerdict(db, v);
            const mine = ours(v);
            if (theirs.kind === 'semantic' && mine.kind === 'syntax') masked.push(`${name}: ${v}`);
            else if (
              (theirs.kind === 'syntax') !== (mine.kind === 'syntax') ||
              (mine.kind === 'syntax' && theirs.message !== mine.message)
            )
              disagreements.push(`${name}: ${v}\n  sqlite: ${theirs.message}\n  ours:   ${mine.message}`);
          }
          db.exec(sql);
        }
      } finally {
        close();
      }
    }
    expect(compared).toBeGreaterThan(10000);
    expect(disagreements).toEqual([]);
    expect(masked.length).toBeLessThanOrEqual(3);
  }, 60_000);
});

describe('sqlite parser: files', () => {
  it('gives each statement its line, column and leading comments, trigger bodies whole', () => {
    const sql = [
      '-- schemapilot-ignore: some-rule',
      "CREATE TABLE t (a TEXT DEFAULT ';');",
      '/* two */ CREATE TRIGGER tr AFTER INSERT ON t BEGIN',
      "  UPDATE t SET a = 'x;' WHERE a IS NULL;",
      '  SELECT CASE WHEN 1 THEN 2 END;',
      'END;',
      '  ALTER TABLE t RENAME TO u -- no semicolon',
    ].join('\n');
    const parsed = parseSqlite(sql, 'm.sql');
    expect(parsed.statements.map((s) => [s.line, s.column, s.leadingComments])).toEqual([
      [2, 1, ['-- schemapilot-ignore: some-rule']],
      [3, 11, ['/* two */']],
      [7, 3, []],
    ]);
    expect(parsed.statements[1]?.sql.endsWith('END')).toBe(true);
    expect(parsed.statements[2]?.sql).toBe('ALTER TABLE t RENAME TO u');
    expect(parsed.comments).toEqual(['-- schemapilot-ignore: some-rule', '/* two */', '-- no semicolon']);
  });

  it('reports a syntax error at the token SQLite names, as file:line:column', () => {
    // [file, where, message]; the last statement of each file is the wrong one, and SQLite
    // gives the same message for it (with its `;`, as a migration runner sends it).
    const cases: [string, string, string][] = [
      ['SELECT 1;\nALTER TABLE t ADD COLUMN c INT NOT NOT NULL;', '2:36', 'near "NOT": syntax error'],
      ['CREATE TABLE n (\n  a INT,\n  b TEXT,\n);', '4:1', 'near ")": syntax error'],
      ["INSERT INTO t VALUES ('unterminated);", '1:23', `unrecognized token: "'unterminated);"`],
      ['ALTER TABLE t DROP COLUMN', '1:26', 'incomplete input'],
      ['DROP TABLE;', '1:11', 'near ";": syntax error'],
      ['CREATE TABLE n (a) STRICTER;', '1:20', 'unknown table option: STRICTER'],
      ['CREATE TABLE n (a INT) WITHOUT ROWID ROWID;', '1:38', 'near "ROWID": syntax error'],
      [
        'CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  DELETE FROM t WHERE;\nEND;',
        '2:22',
        'near ";": syntax error',
      ],
    ];
    const { db, close } = tempDatabase();
    try {
      db.exec('CREATE TABLE t (a)');
      for (const [sql, at, message] of cases) {
        expect(() => parseSqlite(sql, 'm.sql')).toThrow(`m.sql:${at}: ${message}`);
        const last = sql.slice(sql.lastIndexOf(';\n') < 0 ? 0 : sql.indexOf('\n') + 1);
        expect(sqliteVerdict(db, last.startsWith('CREATE TRIGGER') ? sql : last).message).toBe(message);
      }
    } finally {
      close();
    }
  });
});
