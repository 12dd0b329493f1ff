/**
 * ADD COLUMN, DROP COLUMN, RENAME and the 3.53.0 constraint forms on the real library
 * (better-sqlite3's SQLite 3.53.2), against what our facts say. Each refusal runs and SQLite's
 * own message must be the one our `fails:` note quotes; "in place" and "rewrites" are measured
 * as the pages of the database file that change on commit (page 1, the header, excepted).
 * https://www.sqlite.org/lang_altertable.html
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { tempDatabase } from '../support.js';
import type { Table } from '../../../../src/core/snapshot.js';
import { dropColumnRefusal } from '../../../../src/dialects/sqlite/facts/columns.js';
import { changedPages, factsOfLast, fill, runError, tablePages } from './support.js';

let db: Database.Database;
let path: string;
let close: () => void;
beforeEach(() => {
  ({ db, path, close } = tempDatabase());
  db.pragma('foreign_keys = ON');
  fill(db, 3000);
});
afterEach(() => close());

const TABLE = 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT);\n';

describe('ADD COLUMN (lang_altertable.html#altertabaddcol)', () => {
  const refusals: [string, string][] = [
    ['ALTER TABLE t ADD COLUMN d INTEGER PRIMARY KEY', 'Cannot add a PRIMARY KEY column'],
    ['ALTER TABLE t ADD COLUMN d TEXT UNIQUE', 'Cannot add a UNIQUE column'],
    [
      'ALTER TABLE t ADD COLUMN d TEXT DEFAULT CURRENT_TIMESTAMP',
      'Cannot add a column with non-constant default',
    ],
    ['ALTER TABLE t ADD COLUMN d REAL DEFAULT (random())', 'Cannot add a column with non-constant default'],
    ['ALTER TABLE t ADD COLUMN d TEXT NOT NULL', 'Cannot add a NOT NULL column with default value NULL'],
    [
      'ALTER TABLE t ADD COLUMN d INTEGER REFERENCES t(id) DEFAULT 1',
      'Cannot add a REFERENCES column with non-NULL default value',
    ],
    ['ALTER TABLE t ADD COLUMN d AS (b * 2) STORED', 'cannot add a STORED column'],
  ];
  for (const [sql, message] of refusals) {
    it(`refuses: ${sql}`, async () => {
      expect(runError(db, sql)).toBe(message);
      const facts = await factsOfLast(`PRAGMA foreign_keys = ON;\n${TABLE}${sql};`);
      expect(facts.notes[0]).toBe(`fails: ${message}`);
      expect(facts.locks).toEqual([]);
    });
  }

  it('adds a column in place: the schema changes, no row is rewritten', async () => {
    const sql = "ALTER TABLE t ADD COLUMN d TEXT NOT NULL DEFAULT 'x' CHECK (d <> '')";
    expect(tablePages(db, 't')).toBeGreaterThan(50);
    expect(changedPages(db, path, sql)).toBeLessThanOrEqual(2);
    const facts = await factsOfLast(`${TABLE}${sql};`);
    expect(facts.rewritesTable).toBe(false);
    expect(facts.notes[0]).toMatch(/^in place/);
  });

  it('checks a new CHECK against existing rows (3.37.0+), and a constant default in parentheses is allowed', async () => {
    expect(runError(db, 'ALTER TABLE t ADD COLUMN d INTEGER DEFAULT (0) CHECK (d > 0)')).toBe(
      'CHECK constraint failed',
    );
    const facts = await factsOfLast(`${TABLE}ALTER TABLE t ADD COLUMN d INTEGER DEFAULT (0) CHECK (d > 0);`);
    expect([facts.scansTable, facts.validates]).toEqual([true, ['check']]);
    expect(runError(db, 'ALTER TABLE t ADD COLUMN e INTEGER DEFAULT (-1)')).toBeNull();
    // Documented only: before 3.37.0 the CHECK is not tested against existing rows.
    const old = await factsOfLast(`${TABLE}ALTER TABLE t ADD COLUMN d INTEGER CHECK (d > 0);`, 3_036_000);
    expect(old.scansTable).toBe(false);
  });
});

describe('DROP COLUMN (lang_altertable.html#altertabdropcol, 3.35.0+)', () => {
  it('rewrites every row of the table', async () => {
    const pages = tablePages(db, 't');
    expect(changedPages(db, path, 'ALTER TABLE t DROP COLUMN c')).toBeGreaterThan(pages / 2);
    const facts = await factsOfLast(`${TABLE}ALTER TABLE t DROP COLUMN c;`);
    expect(facts.rewritesTable).toBe(true);
    const old = await factsOfLast(`${TABLE}ALTER TABLE t DROP COLUMN c;`, 3_034_000);
    expect(old.notes[0]).toBe('fails: DROP COLUMN needs SQLite 3.35.0+ (a syntax error before)');
  });

  // Each: the schema around the column, and the word SQLite's refusal starts with.
  const refusals: [string, string, RegExp][] = [
    ['primary key', 'CREATE TABLE r (k TEXT PRIMARY KEY, v)', /^cannot drop PRIMARY KEY column/],
    ['unique', 'CREATE TABLE r (k TEXT UNIQUE, v)', /^cannot drop UNIQUE column/],
    ['indexed', 'CREATE TABLE r (k, v); CREATE INDEX r_k ON r (k)', /^error in index r_k after drop column/],
    [
      'partial index',
      'CREATE TABLE r (k, v); CREATE INDEX r_v ON r (v) WHERE k > 0',
      /^error in index r_v after drop column/,
    ],
    ['check', 'CREATE TABLE r (k, v, CHECK (k > v))', /^error in table r after drop column/],

    ['generated', 'CREATE TABLE r (k, v AS (k * 2))', /^error in table r after drop column/],
  ];
  for (const [what, schema, message] of refusals) {
    it(`is refused for a column in a ${what}`, async () => {
      db.exec(schema);
      expect(runError(db, 'ALTER TABLE r DROP COLUMN k')).toMatch(message);
      const facts = await factsOfLast(`${schema};\nALTER TABLE r DROP COLUMN k;`);
      expect(facts.notes[0]).toMatch(/^fails: /);
      expect(facts.notes[0]?.slice('fails: '.length)).toMatch(message);
    });
  }

  it('is refused for a column in a view or a trigger, which the snapshot tells (not the migration)', () => {
    db.exec('CREATE TABLE r (k, v); CREATE VIEW rv AS SELECT k FROM r');
    expect(runError(db, 'ALTER TABLE r DROP COLUMN k')).toMatch(/^error in view rv after drop column/);
    db.exec('DROP VIEW rv; CREATE TRIGGER rt AFTER INSERT ON r BEGIN SELECT new.k; END');
    expect(runError(db, 'ALTER TABLE r DROP COLUMN k')).toMatch(/^error in trigger rt after drop column/);
    const trigger = {
      name: 'rt',
      definition: 'CREATE TRIGGER rt AFTER INSERT ON r BEGIN SELECT new.k; END',
      function: '',
      enabled: 'origin' as const,
    };
    const table = { ...emptyTable('r'), triggers: [trigger] };
    expect(dropColumnRefusal(table, 'k', [])).toMatch(/^error in trigger rt after drop column/);
    expect(dropColumnRefusal(emptyTable('r'), 'k', ['main.rv'])).toMatch(
      /^error in view rv after drop column/,
    );
    expect(dropColumnRefusal(emptyTable('r'), 'k', [])).toBeNull();
  });

  it('goes with a column REFERENCES, is refused for a table FOREIGN KEY, and the facts say both', async () => {
    db.exec(
      'CREATE TABLE r (k REFERENCES t(id), v); CREATE TABLE s (k, v, FOREIGN KEY (k) REFERENCES t(id))',
    );
    expect(runError(db, 'ALTER TABLE r DROP COLUMN k')).toBeNull();
    expect(runError(db, 'ALTER TABLE s DROP COLUMN k')).toMatch(
      /^error in table s after drop column: unknown column "k" in foreign key definition/,
    );
    const facts = await factsOfLast(
      `${TABLE}CREATE TABLE s (k, v, FOREIGN KEY (k) REFERENCES t(id));\nALTER TABLE s DROP COLUMN k;`,
    );
    expect(facts.notes.join('\n')).toMatch(/fails if its foreign key is written as a table constraint/);
  });
});

function emptyTable(name: string): Table {
  return {
    schema: 'main',
    name,
    kind: 'table',
    comment: null,
    columns: [],
    primaryKey: null,
    uniqueConstraints: [],
    checkConstraints: [],
    foreignKeys: [],
    exclusionConstraints: [],
    indexes: [],
    triggers: [],
    partitionOf: null,
    partitionBound: null,
    partitionKey: null,
    stats: { rowEstimate: 0, tableBytes: 0, indexBytes: 0 },
  };
}

describe('RENAME (lang_altertable.html#altertabrename)', () => {
  it('renames a column and a table in place, rewriting the views that use them', async () => {
    db.exec('CREATE VIEW tv AS SELECT b FROM t');
    expect(changedPages(db, path, 'ALTER TABLE t RENAME COLUMN b TO bee')).toBeLessThanOrEqual(2);
    expect(changedPages(db, path, 'ALTER TABLE t RENAME TO tt')).toBeLessThanOrEqual(2);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'tv'").pluck().get()).toBe(
      'CREATE VIEW tv AS SELECT bee FROM "tt"',
    );
    const facts = await factsOfLast(`${TABLE}ALTER TABLE t RENAME COLUMN b TO bee;`);
    expect([facts.rewritesTable, facts.notes[0]]).toEqual([false, expect.stringMatching(/^in place/)]);
    expect((await factsOfLast(`${TABLE}ALTER TABLE t RENAME COLUMN b TO bee;`, 3_024_000)).notes[0]).toMatch(
      /^fails: RENAME COLUMN needs SQLite 3\.25\.0/,
    );
  });

  it('leaves views alone with legacy_alter_table=ON, and the facts say so', async () => {
    db.exec('CREATE VIEW tv AS SELECT b FROM t; PRAGMA legacy_alter_table = ON; ALTER TABLE t RENAME TO tt');
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'tv'").pluck().get()).toBe(
      'CREATE VIEW tv AS SELECT b FROM t',
    );
    const facts = await factsOfLast(`${TABLE}PRAGMA legacy_alter_table = ON;\nALTER TABLE t RENAME TO tt;`);
    expect(facts.notes.join('\n')).toMatch(/legacy_alter_table=ON: references .* not rewritten/);
  });
});

describe('3.53.0: ADD CHECK, SET/DROP NOT NULL, DROP CONSTRAINT without a rebuild', () => {
  it('checks existing rows in place, and drops only CHECK constraints', async () => {
    db.exec('UPDATE t SET c = NULL WHERE id = 1');
    expect(runError(db, 'ALTER TABLE t ALTER COLUMN c SET NOT NULL')).toBe('constraint failed');
    expect(runError(db, 'ALTER TABLE t ADD CONSTRAINT b_small CHECK (b < 10)')).toBe('constraint failed');
    expect(changedPages(db, path, 'ALTER TABLE t ADD CONSTRAINT b_pos CHECK (b > 0)')).toBeLessThanOrEqual(2);
    expect(runError(db, 'ALTER TABLE t DROP CONSTRAINT b_pos')).toBeNull();
    db.exec('CREATE TABLE r (k CONSTRAINT r_fk REFERENCES t(id))');
    expect(runError(db, 'ALTER TABLE r DROP CONSTRAINT r_fk')).toBe('constraint may not be dropped: r_fk');
    const set = await factsOfLast(`${TABLE}ALTER TABLE t ALTER COLUMN c SET NOT NULL;`);
    expect([set.scansTable, set.rewritesTable, set.validates]).toEqual([true, false, ['not null']]);
    const old = await factsOfLast(`${TABLE}ALTER TABLE t ADD CHECK (b > 0);`, 3_052_000);
    expect(old.notes[0]).toBe('fails: ADD CONSTRAINT needs SQLite 3.53.0+');
  });
});
