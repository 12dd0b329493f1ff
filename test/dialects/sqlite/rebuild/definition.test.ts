/**
 * The CREATE TABLE reader and editor against the real library: for definitions in every form
 * the grammar allows (https://www.sqlite.org/lang_createtable.html), the columns, types and
 * options read from the text must be what pragma_table_xinfo and pragma_table_list report, the
 * rowid alias must be the column SQLite stores as the rowid, and every edit must give a text
 * SQLite accepts with the pragmas showing exactly the edit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDefinition, rowidAlias } from '../../../../src/dialects/sqlite/rebuild/definition.js';
import { editDefinition, type DefinitionEdit } from '../../../../src/dialects/sqlite/rebuild/edit.js';
import { tableShape, tempDir, type Db, type TempDir } from '../support/schema.js';

let dir: TempDir;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = dir.open('d.db');
});
afterEach(() => dir.remove());

const DEFINITIONS = [
  'CREATE TABLE plain (a, b, c)',
  `CREATE TABLE "odd ""name""" ([col one] TEXT, \`col two\` INT, "col,three" REAL)`,
  `CREATE TABLE typed (
    -- a comment with ( and , in it
    id INTEGER PRIMARY KEY DESC,
    price NUMERIC(10, 2) NOT NULL ON CONFLICT REPLACE DEFAULT -1.5,
    name VARYING CHARACTER(255) COLLATE NOCASE UNIQUE ON CONFLICT IGNORE,
    code TEXT CONSTRAINT code_ok CHECK (code GLOB '[A-Z]*') /* another, comment */ DEFAULT 'X'
  )`,
  `CREATE TABLE keys (
    a INTEGER, b TEXT, parent INTEGER,
    PRIMARY KEY (a)
    UNIQUE (b COLLATE NOCASE DESC) ON CONFLICT ABORT
    CONSTRAINT fk FOREIGN KEY (parent) REFERENCES keys (a) ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED,
    CHECK (a > 0)
  )`,
  `CREATE TABLE gen (a INT, b INT GENERATED ALWAYS AS (a * 2) STORED, c AS (a + 1), d INT DEFAULT (abs(-3)))`,
  `CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT DEFAULT CURRENT_TIMESTAMP)`,
  `CREATE TABLE tpk (id INTEGER, v TEXT, PRIMARY KEY (id DESC))`,
  `CREATE TABLE wr (k TEXT PRIMARY KEY, v BLOB DEFAULT x'00ff') WITHOUT ROWID`,
  `CREATE TABLE st (id INTEGER PRIMARY KEY, v ANY, n INT NOT NULL DEFAULT 0) STRICT, WITHOUT ROWID`,
  `CREATE TABLE refs (id INTEGER PRIMARY KEY, p INT REFERENCES plain MATCH SIMPLE NOT DEFERRABLE NOT NULL DEFAULT 0, q INT NULL)`,
];

function created(sql: string): string {
  db.exec(sql);
  const name = parseDefinition(sql).name;
  return (
    db.prepare<[string], { sql: string }>('SELECT sql FROM sqlite_schema WHERE name = ?').get(name)?.sql ?? ''
  );
}

describe('reading a CREATE TABLE as SQLite stores it', () => {
  for (const sql of DEFINITIONS)
    it(sql.split('\n')[0] ?? sql, () => {
      const def = parseDefinition(created(sql));
      const columns = db
        .prepare<[string], { name: string; type: string }>(
          'SELECT name, type FROM pragma_table_xinfo(?) ORDER BY cid',
        )
        .all(def.name);
      expect(def.columns.map((c) => ({ name: c.name, type: c.type ?? '' }))).toEqual(columns);
      const options = db
        .prepare<[string], { wr: number; strict: number }>('SELECT wr, strict FROM pragma_table_list(?)')
        .get(def.name);
      expect({ wr: def.withoutRowid ? 1 : 0, strict: def.strict ? 1 : 0 }).toEqual(options);
      expect(def.autoincrement).toBe(/AUTOINCREMENT/.test(sql));
    });

  it('the rowid alias is the column SQLite stores as the rowid', () => {
    // refs references plain, which has no key a foreign key could use: rows only, no checks.
    db.pragma('foreign_keys = OFF');
    for (const sql of DEFINITIONS.filter((s) => !/WITHOUT ROWID/.test(s))) {
      const def = parseDefinition(created(sql));
      const alias = rowidAlias(def);
      const integer = def.columns.find((c) => c.type?.toUpperCase() === 'INTEGER');
      if (!integer) {
        expect(alias).toBeNull();
        continue;
      }
      // A rowid alias takes the rowid's value; any other column keeps its own.
      db.exec(`INSERT INTO "${def.name.replace(/"/g, '""')}" ("${integer.name}") VALUES (42)`);
      const row = db.prepare(`SELECT rowid AS r FROM "${def.name.replace(/"/g, '""')}"`).get() as {
        r: number;
      };
      expect(alias?.name ?? null, sql).toBe(row.r === 42 ? integer.name : null);
    }
  });
});

/** The table's pragma shape after the edit equals the shape of the table SQLite builds from `expected`. */
function editsTo(before: string, edit: DefinitionEdit, expected: string): void {
  const text = editDefinition(created(before), edit).text;
  db.exec(`DROP TABLE ${parseDefinition(before).name}`);
  db.exec(text);
  const name = parseDefinition(text).name;
  const got = tableShape(db, name);
  db.exec(`DROP TABLE "${name}"`);
  db.exec(expected);
  expect(got).toEqual(tableShape(db, name));
}

describe('editing a CREATE TABLE', () => {
  const T = `CREATE TABLE t (
  id INTEGER PRIMARY KEY,
  a TEXT NOT NULL DEFAULT 'x', -- a
  b INT NULL,
  c INT CONSTRAINT c_positive CHECK (c > 0),
  CONSTRAINT t_a_key UNIQUE (a),
  CHECK (b <> 0)
)`;
  const cases: [string, DefinitionEdit, string][] = [
    ['a type', { kind: 'set type', column: 'b', type: 'TEXT' }, T.replace('b INT NULL', 'b TEXT NULL')],
    [
      'NOT NULL over a NULL constraint',
      { kind: 'set not null', column: 'b' },
      T.replace('b INT NULL', 'b INT NOT NULL'),
    ],
    [
      'NOT NULL dropped',
      { kind: 'drop not null', column: 'a' },
      T.replace("a TEXT NOT NULL DEFAULT 'x'", "a TEXT DEFAULT 'x'"),
    ],
    [
      'a default replaced',
      { kind: 'set default', column: 'a', value: "'y'" },
      T.replace("DEFAULT 'x'", "DEFAULT 'y'"),
    ],
    [
      'a default added',
      { kind: 'set default', column: 'c', value: '(1 + 1)' },
      T.replace('c INT CONSTRAINT', 'c INT DEFAULT (1 + 1) CONSTRAINT'),
    ],
    ['a default dropped', { kind: 'drop default', column: 'a' }, T.replace(" DEFAULT 'x'", '')],
    [
      'a column dropped with its UNIQUE',
      { kind: 'drop column', column: 'a' },
      T.replace("  a TEXT NOT NULL DEFAULT 'x', -- a\n", '').replace(
        '  CONSTRAINT t_a_key UNIQUE (a),\n',
        '',
      ),
    ],
    [
      'a column dropped with the CHECK that reads it',
      { kind: 'drop column', column: 'b' },
      T.replace('  b INT NULL,\n', '').replace(',\n  CHECK (b <> 0)', ''),
    ],
    [
      'a column added',
      { kind: 'add column', column: 'd', definition: 'd REAL DEFAULT 0' },
      T.replace('CHECK (c > 0),', 'CHECK (c > 0),\n  d REAL DEFAULT 0,'),
    ],
    [
      'a table constraint added',
      { kind: 'add constraint', definition: 'UNIQUE (b, c)' },
      T.replace('CHECK (b <> 0)', 'CHECK (b <> 0),\n  UNIQUE (b, c)'),
    ],
    [
      'a named table constraint dropped',
      { kind: 'drop constraint', name: 't_a_key' },
      T.replace('  CONSTRAINT t_a_key UNIQUE (a),\n', ''),
    ],
    [
      'a named column constraint dropped',
      { kind: 'drop constraint', name: 'c_positive' },
      T.replace(' CONSTRAINT c_positive CHECK (c > 0)', ''),
    ],
  ];
  for (const [what, edit, expected] of cases) it(what, () => editsTo(T, edit, expected));

  it('keeps every character the edit does not touch', () => {
    const text = editDefinition(T, { kind: 'set type', column: 'b', type: 'TEXT' }).text;
    expect(text).toBe(T.replace('b INT NULL', 'b TEXT NULL'));
  });

  it('refuses what does not fit the table, naming it', () => {
    expect(() => editDefinition(T, { kind: 'drop column', column: 'nope' })).toThrow('t has no column nope');
    expect(() => editDefinition(T, { kind: 'drop constraint', name: 'nope' })).toThrow(
      't has no constraint named nope (named ones: t_a_key, c_positive)',
    );
    expect(() =>
      editDefinition('CREATE TABLE g (a, b AS (a + 1))', { kind: 'drop column', column: 'a' }),
    ).toThrow('the generated column b is computed from a');
  });
});
