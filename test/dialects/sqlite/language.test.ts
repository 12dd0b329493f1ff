/**
 * The rest of the language half: lowering of a migration to Changes, quoting checked on the
 * library, versions and fact keys, and a file through analyze() with --target-version.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import { factKeyWords } from '../../../src/core/dialect/version.js';
import { dialectNamed } from '../../../src/dialects/index.js';
import { lowerSqlite } from '../../../src/dialects/sqlite/lower.js';
import { parseSqlite } from '../../../src/dialects/sqlite/parser.js';
import { quoteIdent, quoteLiteral } from '../../../src/dialects/sqlite/quote.js';
import { parseSqliteVersion, sqliteFactKey } from '../../../src/dialects/sqlite/version.js';
import { tempDatabase } from './support.js';

const lower = (sql: string) =>
  parseSqlite(sql, 'm.sql').statements.flatMap((s) => lowerSqlite(s.ast, 'main'));

describe('sqlite lowering', () => {
  it('qualifies names with main (temp for TEMP objects) and keeps what facts need', () => {
    const changes = lower(`
      CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT 'x', b INT GENERATED ALWAYS AS (id * 2) STORED,
                      p INT REFERENCES parent(id) ON DELETE CASCADE, CHECK (a <> '')) STRICT;
      CREATE TEMP TABLE scratch (x);
      ALTER TABLE t ADD COLUMN c TEXT DEFAULT CURRENT_TIMESTAMP;
      ALTER TABLE t DROP c;
      ALTER TABLE t RENAME a TO aa;
      ALTER TABLE aux.t RENAME TO u;
      CREATE UNIQUE INDEX t_lower ON t (lower(a), id DESC) WHERE a IS NOT NULL;
      DROP INDEX IF EXISTS t_lower;
      DROP TRIGGER tr;
      CREATE VIEW v AS WITH w AS (SELECT * FROM t) SELECT * FROM w JOIN parent ON parent.id = w.p;
      PRAGMA foreign_keys = 'off';
      PRAGMA main.journal_mode = WAL;
      PRAGMA table_info(t);
      BEGIN IMMEDIATE; COMMIT;
      UPDATE t SET a = 'y' WHERE id = 1;
      ALTER TABLE t ALTER COLUMN a SET NOT NULL;
    `);
    expect(changes.map((c) => c.kind)).toEqual([
      'create table',
      'create table',
      'add column',
      'drop column',
      'rename column',
      'rename table',
      'create index',
      'drop index',
      'drop other',
      'create view',
      'set',
      'set',
      'select',
      'transaction',
      'transaction',
      'dml',
      'set not null',
    ]);
    const [table, temp, add] = changes;
    expect(
      table?.kind === 'create table' &&
        table.columns.map((c) => [c.name, c.type.name, c.notNull, c.default?.sql ?? null]),
    ).toEqual([
      ['id', 'integer', false, null],
      ['a', 'text', true, "'x'"],
      ['b', 'int', false, null],
      ['p', 'int', false, null],
    ]);
    expect(table?.kind === 'create table' && table.columns[2]?.generated).toEqual({
      expr: { sql: 'id * 2', functions: [], constant: false },
      stored: true,
    });
    expect(table?.kind === 'create table' && table.columns[3]?.references?.table).toBe('main.parent');
    expect(temp?.kind === 'create table' && temp.table).toBe('temp.scratch');
    expect(add?.kind === 'add column' && add.column.default).toEqual({
      sql: 'CURRENT_TIMESTAMP',
      functions: ['current_timestamp'],
      constant: false,
    });
    expect(changes[5]).toEqual({ kind: 'rename table', table: 'aux.t', newName: 'u' });
    expect(changes[6]).toMatchObject({
      index: {
        name: 't_lower',
        table: 'main.t',
        unique: true,
        columns: ['lower(a)', 'id'],
        columnNames: ['id'],
        where: 'a IS NOT NULL',
      },
    });
    expect(changes[9]).toMatchObject({
      kind: 'create view',
      view: 'main.v',
      reads: ['main.parent', 'main.t'],
    });
    expect(changes[10]).toEqual({ kind: 'set', name: 'foreign_keys', value: 'off', local: false });
    expect(changes[11]).toEqual({ kind: 'set', name: 'journal_mode', value: 'WAL', local: false });
  });
});

describe('sqlite quoting, checked on the library', () => {
  it('quotes identifiers and literals as SQLite reads them back', () => {
    const { db, close } = tempDatabase();
    try {
      for (const name of ['select', 'a"b', 'with space', "it's", '[x]', '`y`', 'ü']) {
        db.exec(`CREATE TABLE ${quoteIdent(name)} (${quoteIdent(name)} TEXT)`);
        expect(db.prepare('SELECT name FROM sqlite_schema WHERE name = ?').pluck().get(name)).toBe(name);
        expect(
          db
            .prepare(`SELECT ${quoteLiteral(name)}`)
            .pluck()
            .get(),
        ).toBe(name);
        expect(quoteLiteral(name)).toBe(db.prepare('SELECT quote(?)').pluck().get(name));
      }
    } finally {
      close();
    }
  });
});

describe('sqlite versions', () => {
  it('reads sqlite_version() and --target-version, keyed as SQLITE_VERSION_NUMBER', () => {
    const { db, close } = tempDatabase();
    try {
      const text = String(db.prepare('SELECT sqlite_version()').pluck().get());
      const version = parseSqliteVersion(text);
      const [major, minor, patch] = text.split('.').map(Number);
      expect(sqliteFactKey(version)).toBe(major! * 1_000_000 + minor! * 1000 + patch!);
      expect(dialectNamed('sqlite').language.assumedVersion.version.text).toBe(text);
    } finally {
      close();
    }
    expect(sqliteFactKey(parseSqliteVersion('3.35'))).toBe(3_035_000);
    expect(factKeyWords('sqlite', 3_035_000)).toBe('SQLite 3.35.0');
    expect(() => parseSqliteVersion('8.0.36', '--target-version')).toThrow(
      '--target-version: "8.0.36" is not a SQLite 3 version',
    );
  });

  it('analyze() with a target version answers for that version and says it', async () => {
    const result = await analyze({
      files: [{ path: 'm.sql', sql: 'ALTER TABLE users DROP COLUMN nickname;', transaction: 'none' }],
      dialect: dialectNamed('sqlite'),
      config: { ...DEFAULT_CONFIG, targetVersion: 3_031_001 },
    });
    expect(result.dialect).toBe('sqlite');
    expect(result.serverVersion).toBe('3.31.1');
    expect(result.run.details[0]?.facts[0]?.notes[0]).toBe(
      'fails: DROP COLUMN needs SQLite 3.35.0+ (a syntax error before)',
    );
  });
});
