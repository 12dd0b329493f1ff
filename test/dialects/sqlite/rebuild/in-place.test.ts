/**
 * What SQLite's own ALTER TABLE does and refuses (https://www.sqlite.org/lang_altertable.html,
 * sections 4 and 5), each case run on the real library: where `needsRebuild` says the statement
 * runs as written, SQLite must run it; where it says a rebuild is needed because SQLite refuses,
 * SQLite must refuse it. The one case decided by the connection (REFERENCES with a default,
 * refused only while foreign_keys is ON) is checked both ways.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../../../src/core/change.js';
import { needsRebuild, sqliteKey } from '../../../../src/dialects/sqlite/rebuild/index.js';
import { change, expr } from '../support/changes.js';
import { readSchema, tempDir, type Db, type TempDir } from '../support/schema.js';

const SCHEMA = `
CREATE TABLE p (id INTEGER PRIMARY KEY, k TEXT UNIQUE);
CREATE TABLE t (
  id INTEGER PRIMARY KEY,
  a INT,
  b INT,
  c INT,
  d INT REFERENCES p (id),
  e TEXT,
  f INT CHECK (f > 0),
  h INT CHECK (h > a),
  g INT GENERATED ALWAYS AS (a + 1) VIRTUAL,
  w TEXT,
  x TEXT,
  y TEXT,
  z TEXT,
  CHECK (b > 0),
  FOREIGN KEY (c) REFERENCES p (id)
);
CREATE INDEX t_w ON t (w);
CREATE INDEX t_partial ON t (id) WHERE x IS NOT NULL;
CREATE VIEW v AS SELECT id, y FROM t;
CREATE TABLE log (m TEXT);
CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.z); END;
INSERT INTO p VALUES (1, 'one');
INSERT INTO t (id, a, b, c, d, e, f, h) VALUES (1, 1, 1, 1, 1, 'e', 1, 2);
`;

const KEY = sqliteKey(3, 53, 2);
let dir: TempDir;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = dir.open('t.db', SCHEMA);
});
afterEach(() => dir.remove());

function verdict(c: Change, key = KEY): string | null {
  const schema = readSchema(db);
  return needsRebuild(
    c,
    schema.tables.find((t) => `main.${t.name}` === (c as { table: string }).table),
    schema,
    key,
  );
}

function runs(sql: string): boolean {
  try {
    db.exec(`SAVEPOINT probe; ${sql}; ROLLBACK TO probe; RELEASE probe`);
    return true;
  } catch {
    db.exec('ROLLBACK TO probe; RELEASE probe');
    return false;
  }
}

describe('DROP COLUMN: in place exactly where SQLite takes it', () => {
  const cases: [string, string, boolean][] = [
    ['a plain column', 'e', true],
    ['a column whose own CHECK goes with it', 'f', true],
    ['a column with its own REFERENCES', 'd', true],
    ['the PRIMARY KEY', 'id', false],
    ['a column in a table CHECK', 'b', false],
    ['a column in a table FOREIGN KEY', 'c', false],
    ["a column another column's CHECK reads", 'a', false],
    ['an indexed column', 'w', false],
    ["a column in a partial index's WHERE", 'x', false],
    ['a column a view reads', 'y', false],
    ['a column a trigger on the table reads', 'z', false],
  ];
  for (const [what, column, inPlace] of cases)
    it(`${what} (${column}): ${inPlace ? 'in place' : 'rebuild'}`, () => {
      expect(runs(`ALTER TABLE t DROP COLUMN ${column}`)).toBe(inPlace);
      expect(verdict(change.dropColumn('t', column)) === null).toBe(inPlace);
    });

  it('a UNIQUE column: rebuild', () => {
    expect(runs('ALTER TABLE p DROP COLUMN k')).toBe(false);
    expect(verdict(change.dropColumn('p', 'k'))).toMatch(/UNIQUE/);
  });

  it('before 3.35.0 every DROP COLUMN is a rebuild (documented; 3.35.0 added it)', () => {
    expect(verdict(change.dropColumn('t', 'e'), sqliteKey(3, 34, 1))).toMatch(/3\.35\.0/);
  });
});

describe('ADD COLUMN: in place exactly where SQLite takes it on a table with rows', () => {
  const add = (spec: Parameters<typeof change.addColumn>[1]) => change.addColumn('t', spec);
  const cases: [string, Change, string, boolean][] = [
    ['nullable', add({ name: 'n1', type: 'INT' }), 'n1 INT', true],
    [
      'NOT NULL with a default',
      add({ name: 'n2', type: 'INT', notNull: true, default: expr('0', true) }),
      'n2 INT NOT NULL DEFAULT 0',
      true,
    ],
    ['NOT NULL without a default', add({ name: 'n3', type: 'INT', notNull: true }), 'n3 INT NOT NULL', false],
    [
      'NOT NULL DEFAULT NULL',
      add({ name: 'n4', type: 'INT', notNull: true, default: expr('NULL', true) }),
      'n4 INT NOT NULL DEFAULT NULL',
      false,
    ],
    ['UNIQUE', add({ name: 'n5', type: 'INT', unique: true }), 'n5 INT UNIQUE', false],
    ['PRIMARY KEY', add({ name: 'n6', type: 'INT', primaryKey: true }), 'n6 INT PRIMARY KEY', false],
    [
      'DEFAULT CURRENT_TIMESTAMP',
      add({ name: 'n7', type: 'TEXT', default: expr('CURRENT_TIMESTAMP') }),
      'n7 TEXT DEFAULT CURRENT_TIMESTAMP',
      false,
    ],
    [
      'a default expression',
      add({ name: 'n8', type: 'INT', default: expr('1 + 1') }),
      'n8 INT DEFAULT (1 + 1)',
      false,
    ],
    [
      'a constant string default',
      add({ name: 'n9', type: 'TEXT', default: expr("'x'", true) }),
      "n9 TEXT DEFAULT 'x'",
      true,
    ],
    [
      'a negative number default',
      add({ name: 'n10', type: 'INT', default: expr('-1', true) }),
      'n10 INT DEFAULT -1',
      true,
    ],
    [
      'STORED generated',
      add({ name: 'n11', type: 'INT', generated: { expr: expr('a * 2'), stored: true } }),
      'n11 INT GENERATED ALWAYS AS (a * 2) STORED',
      false,
    ],
    [
      'VIRTUAL generated',
      add({ name: 'n12', type: 'INT', generated: { expr: expr('a * 2'), stored: false } }),
      'n12 INT GENERATED ALWAYS AS (a * 2) VIRTUAL',
      true,
    ],
    [
      'a CHECK the rows pass',
      add({ name: 'n13', type: 'INT', default: expr('1', true), checks: [expr('n13 > 0')] }),
      'n13 INT DEFAULT 1 CHECK (n13 > 0)',
      true,
    ],
  ];
  for (const [what, c, definition, inPlace] of cases)
    it(`${what}: ${inPlace ? 'in place' : 'rebuild'}`, () => {
      expect(runs(`ALTER TABLE t ADD COLUMN ${definition}`)).toBe(inPlace);
      expect(verdict(c) === null).toBe(inPlace);
    });

  it('REFERENCES with a non-NULL default: refused only while foreign_keys is ON, so always a rebuild', () => {
    const sql = 'ALTER TABLE t ADD COLUMN r INT REFERENCES p (id) DEFAULT 1';
    db.pragma('foreign_keys = ON');
    expect(runs(sql)).toBe(false);
    db.pragma('foreign_keys = OFF');
    expect(runs(sql)).toBe(true);
    const c = change.addColumn('t', {
      name: 'r',
      type: 'INT',
      default: expr('1', true),
      references: { table: 'main.p', columns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' },
    });
    expect(verdict(c)).toMatch(/foreign_keys is ON/);
  });
});

describe('what ALTER TABLE has no syntax for, and what 3.53.0 added', () => {
  it('a type and a default are rebuilds: SQLite has no syntax for them', () => {
    expect(runs('ALTER TABLE t ALTER COLUMN a TYPE TEXT')).toBe(false);
    expect(runs('ALTER TABLE t ALTER COLUMN a SET DEFAULT 0')).toBe(false);
    for (const c of [
      change.type('t', 'a', 'TEXT'),
      change.setDefault('t', 'a', '0'),
      change.dropDefault('t', 'a'),
    ])
      expect(verdict(c)).toMatch(/^SQLite's ALTER TABLE has no /);
  });

  it('3.53.0: SET and DROP NOT NULL run in place (every row checked), before that they are rebuilds', () => {
    expect(runs('ALTER TABLE t ALTER COLUMN e SET NOT NULL')).toBe(true);
    expect(runs('ALTER TABLE t ALTER COLUMN w SET NOT NULL')).toBe(false); // w holds a NULL
    expect(runs('ALTER TABLE t ALTER COLUMN e DROP NOT NULL')).toBe(true);
    expect(verdict(change.setNotNull('t', 'e'))).toBeNull();
    expect(verdict(change.dropNotNull('t', 'e'))).toBeNull();
    expect(verdict(change.setNotNull('t', 'e'), sqliteKey(3, 52, 0))).toMatch(/3\.53\.0/);
  });

  it('3.53.0: ADD CONSTRAINT takes a CHECK only', () => {
    const check = change.addConstraint('t', {
      type: 'check',
      name: 'k',
      expr: expr('id > 0'),
      notValid: false,
      noInherit: false,
    });
    expect(runs('ALTER TABLE t ADD CONSTRAINT k CHECK (id > 0)')).toBe(true);
    expect(verdict(check)).toBeNull();
    const unique = change.addConstraint('t', {
      type: 'unique',
      name: 'u',
      columns: ['e'],
      usingIndex: null,
      nullsNotDistinct: false,
    });
    expect(runs('ALTER TABLE t ADD CONSTRAINT u UNIQUE (e)')).toBe(false);
    expect(verdict(unique)).toMatch(/adds no unique constraint/);
  });

  it('3.53.0: DROP CONSTRAINT drops a named CHECK or NOT NULL, and no other kind', () => {
    db.exec(`CREATE TABLE k (
      id INTEGER CONSTRAINT k_pk PRIMARY KEY,
      a INT CONSTRAINT a_nn NOT NULL DEFAULT 1 CONSTRAINT a_chk CHECK (a > 0),
      b TEXT CONSTRAINT b_u UNIQUE,
      CONSTRAINT k_chk CHECK (id > 0),
      CONSTRAINT k_fk FOREIGN KEY (a) REFERENCES p (id)
    )`);
    for (const [name, inPlace] of [
      ['a_nn', true],
      ['a_chk', true],
      ['k_chk', true],
      ['k_pk', false],
      ['b_u', false],
      ['k_fk', false],
    ] as const) {
      expect(runs(`ALTER TABLE k DROP CONSTRAINT ${name}`), name).toBe(inPlace);
      expect(verdict(change.dropConstraint('k', name)) === null, name).toBe(inPlace);
    }
  });

  it('renames stay as written', () => {
    expect(verdict({ kind: 'rename column', table: 'main.t', column: 'e', newName: 'e2' })).toBeNull();
    expect(runs('ALTER TABLE t RENAME COLUMN e TO e2')).toBe(true);
    expect(verdict({ kind: 'rename table', table: 'main.t', newName: 't2' })).toBeNull();
  });
});
