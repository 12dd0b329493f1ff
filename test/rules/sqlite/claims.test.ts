/**
 * What the SQLite rules tell users, run on the library (better-sqlite3's SQLite 3.53.2): each
 * test is one claim a message or docs page makes, with the rule that makes it. Behaviour of
 * older versions (RENAME before 3.25.0/3.26.0) is documented only, from
 * https://www.sqlite.org/lang_altertable.html, and not run here.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDatabase } from '../../dialects/sqlite/support.js';

let db: Database.Database;
let path: string;
let close: () => void;
beforeEach(() => {
  ({ db, path, close } = tempDatabase());
});
afterEach(() => close());

/** SQLite's error for `sql`, or '' when it runs. */
function error(sql: string, on: Database.Database = db): string {
  try {
    on.exec(sql);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

const count = (table: string): number =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const sqlOf = (name: string): string =>
  (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(name) as { sql: string } | undefined)
    ?.sql ?? '';

const PARENT = `CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO p VALUES (1, 'a'), (2, 'b');`;
const child = (action: string) =>
  `CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id) ${action});
INSERT INTO c VALUES (10, 1), (11, 2);`;
const REBUILD = `CREATE TABLE new_p (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO new_p SELECT id, coalesce(name, '') FROM p;
DROP TABLE p;
ALTER TABLE new_p RENAME TO p;`;

describe('sqlite-table-rebuild: a rebuild with foreign keys on (foreignkeys.html §5, DROP TABLE)', () => {
  beforeEach(() => db.pragma('foreign_keys = ON'));

  it('ON DELETE CASCADE: DROP TABLE deletes the child rows; the copy does not bring them back', () => {
    db.exec(PARENT + child('ON DELETE CASCADE'));
    db.exec(`BEGIN;${REBUILD}COMMIT;`);
    expect(count('p')).toBe(2);
    expect(count('c')).toBe(0);
  });

  it('ON DELETE SET NULL: the references are cleared', () => {
    db.exec(PARENT + child('ON DELETE SET NULL'));
    db.exec(REBUILD);
    expect(db.prepare('SELECT p_id FROM c').all()).toEqual([{ p_id: null }, { p_id: null }]);
  });

  it('a plain reference: the DROP fails; deferred (or defer_foreign_keys), COMMIT fails', () => {
    db.exec(PARENT + child(''));
    expect(error(REBUILD)).toBe('FOREIGN KEY constraint failed');
    db.exec('DROP TABLE IF EXISTS new_p');
    expect(error(`BEGIN; PRAGMA defer_foreign_keys = ON; ${REBUILD} COMMIT;`)).toBe(
      'FOREIGN KEY constraint failed',
    );
  });

  it('defer_foreign_keys (Prisma) does not stop the cascade', () => {
    db.exec(PARENT + child('ON DELETE CASCADE'));
    db.exec(`BEGIN; PRAGMA defer_foreign_keys = ON; ${REBUILD} COMMIT;`);
    expect(count('c')).toBe(0);
  });

  it('PRAGMA foreign_keys = OFF inside a transaction does nothing (the cascade happens); before BEGIN it works', () => {
    db.exec(PARENT + child('ON DELETE CASCADE'));
    db.exec(`BEGIN; PRAGMA foreign_keys = OFF;`);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.exec(`${REBUILD} COMMIT;`);
    expect(count('c')).toBe(0);
    db.exec(`INSERT INTO c VALUES (12, 1); PRAGMA foreign_keys = OFF; BEGIN; ${REBUILD}`);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    db.exec('COMMIT; PRAGMA foreign_keys = ON;');
    expect(count('c')).toBe(1);
  });
});

describe('sqlite-table-rebuild: what DROP TABLE takes and leaves', () => {
  beforeEach(() =>
    db.exec(`${PARENT}
CREATE INDEX p_name ON p (name);
CREATE TRIGGER p_guard BEFORE UPDATE ON p BEGIN SELECT 1; END;
CREATE VIEW pv AS SELECT id, name FROM p;`),
  );

  it('a view over the table stays, and the RENAME of the replacement fails on it', () => {
    db.exec('CREATE TABLE new_p (id INTEGER PRIMARY KEY, name TEXT); DROP TABLE p;');
    expect(sqlOf('pv')).not.toBe('');
    expect(error('ALTER TABLE new_p RENAME TO p')).toBe('error in view pv: no such table: main.p');
  });

  it('with legacy_alter_table ON the RENAME goes through and the view reads the new table', () => {
    db.exec(
      'PRAGMA legacy_alter_table = ON; CREATE TABLE new_p (id INTEGER PRIMARY KEY, name TEXT); DROP TABLE p; ALTER TABLE new_p RENAME TO p;',
    );
    expect(db.prepare('SELECT count(*) AS n FROM pv').get()).toEqual({ n: 0 });
  });

  it('the indexes and triggers go with the dropped table', () => {
    db.exec(`DROP VIEW pv; ${REBUILD}`);
    expect(sqlOf('p_name')).toBe('');
    expect(sqlOf('p_guard')).toBe('');
  });

  it('drop-table: a view over a dropped table stays and fails when read', () => {
    db.exec('DROP TABLE p');
    expect(sqlOf('pv')).toMatch(/^CREATE VIEW pv/);
    expect(error('SELECT * FROM pv')).toBe('no such table: main.p');
  });
});

describe('sqlite-table-rebuild: renaming the old table away first', () => {
  const SETUP = `${PARENT}${child('ON DELETE CASCADE')}
CREATE VIEW pv AS SELECT id, name FROM p;
CREATE TABLE log (x TEXT);
CREATE TRIGGER log_to_p AFTER INSERT ON log BEGIN INSERT INTO p (name) VALUES (NEW.x); END;`;
  const OLD_FIRST = `ALTER TABLE p RENAME TO p_old;
CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO p SELECT id, coalesce(name, '') FROM p_old;
DROP TABLE p_old;`;

  it('moves foreign keys, views and trigger bodies to the old name, which DROP TABLE then removes', () => {
    db.exec(`PRAGMA foreign_keys = OFF; ${SETUP} ${OLD_FIRST} PRAGMA foreign_keys = ON;`);
    expect(sqlOf('c')).toMatch(/REFERENCES "p_old"/);
    expect(sqlOf('pv')).toMatch(/FROM "p_old"/);
    expect(error('SELECT * FROM pv')).toBe('no such table: main.p_old');
    expect(error("INSERT INTO log VALUES ('z')")).toBe('no such table: main.p_old');
    expect(error('INSERT INTO c VALUES (20, 1)')).toBe('no such table: main.p_old');
  });

  it('with legacy_alter_table ON and foreign keys off, they stay on the name', () => {
    db.exec(
      `PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON; ${SETUP} ${OLD_FIRST} PRAGMA foreign_keys = ON;`,
    );
    expect(sqlOf('c')).toMatch(/REFERENCES p \(id\)/);
    expect(error("SELECT * FROM pv; INSERT INTO log VALUES ('z'); INSERT INTO c VALUES (20, 1);")).toBe('');
  });
});

describe('sqlite-legacy-alter-table (pragma.html#pragma_legacy_alter_table)', () => {
  beforeEach(() =>
    db.exec(`${PARENT}${child('')}
CREATE VIEW pv AS SELECT id, name FROM p;
CREATE TRIGGER p_audit AFTER UPDATE ON p BEGIN UPDATE p SET name = name WHERE 0; END;`),
  );

  it('RENAME TABLE with it ON leaves view and trigger bodies on the old name; foreign keys follow while foreign_keys is on', () => {
    db.pragma('foreign_keys = ON');
    db.exec('PRAGMA legacy_alter_table = ON; ALTER TABLE p RENAME TO people;');
    expect(sqlOf('pv')).toBe('CREATE VIEW pv AS SELECT id, name FROM p');
    expect(sqlOf('p_audit')).toMatch(/ON "people" BEGIN UPDATE p SET/);
    expect(sqlOf('c')).toMatch(/REFERENCES "people"/);
    expect(error('SELECT * FROM pv')).toBe('no such table: main.p');
  });

  it('with it ON and foreign keys off, other tables keep referencing the old name', () => {
    db.exec('PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON; ALTER TABLE p RENAME TO people;');
    expect(sqlOf('c')).toMatch(/REFERENCES p \(id\)/);
  });

  it('OFF (the default): everything follows, foreign keys too with foreign_keys off (3.26.0+)', () => {
    db.exec('PRAGMA foreign_keys = OFF; ALTER TABLE p RENAME TO people;');
    expect(sqlOf('pv')).toMatch(/FROM "people"/);
    expect(sqlOf('c')).toMatch(/REFERENCES "people"/);
  });

  it('RENAME COLUMN is not affected', () => {
    db.exec('PRAGMA legacy_alter_table = ON; ALTER TABLE p RENAME COLUMN name TO full_name;');
    expect(sqlOf('pv')).toBe('CREATE VIEW pv AS SELECT id, full_name FROM p');
  });

  it('the pragma works inside a transaction (unlike foreign_keys)', () => {
    db.exec('BEGIN; PRAGMA legacy_alter_table = ON;');
    expect(db.pragma('legacy_alter_table', { simple: true })).toBe(1);
    db.exec('COMMIT');
  });
});

describe('sqlite-add-column-refused: refused once the table has a row (sqlite3ErrorIfNotEmpty)', () => {
  const ROWS_ONLY: [string, string][] = [
    ['ALTER TABLE t ADD COLUMN d TEXT NOT NULL', 'Cannot add a NOT NULL column with default value NULL'],
    [
      'ALTER TABLE t ADD COLUMN d TEXT DEFAULT CURRENT_TIMESTAMP',
      'Cannot add a column with non-constant default',
    ],
    ['ALTER TABLE t ADD COLUMN d INTEGER DEFAULT (1 + 1)', 'Cannot add a column with non-constant default'],
    [
      'ALTER TABLE t ADD COLUMN d INTEGER REFERENCES t (id) DEFAULT 1',
      'Cannot add a REFERENCES column with non-NULL default value',
    ],
    ['ALTER TABLE t ADD COLUMN d AS (id * 2) STORED', 'cannot add a STORED column'],
  ];
  for (const [sql, message] of ROWS_ONLY)
    it(`${sql}: runs on an empty table, refused with a row`, () => {
      db.pragma('foreign_keys = ON');
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY); CREATE TABLE e (id INTEGER PRIMARY KEY);');
      expect(error(sql.replace('TABLE t ', 'TABLE e ').replace('REFERENCES t', 'REFERENCES e'))).toBe('');
      db.exec('INSERT INTO t VALUES (1)');
      expect(error(sql)).toBe(message);
    });

  for (const [sql, message] of [
    ['ALTER TABLE e ADD COLUMN d TEXT UNIQUE', 'Cannot add a UNIQUE column'],
    ['ALTER TABLE e ADD COLUMN d INTEGER PRIMARY KEY', 'Cannot add a PRIMARY KEY column'],
  ])
    it(`${sql}: refused even on an empty table`, () => {
      db.exec('CREATE TABLE e (id INTEGER PRIMARY KEY)');
      expect(error(sql ?? '')).toBe(message);
    });
});

describe('sqlite-busy-timeout-missing and sqlite-rebuild-large-table: one write lock for the database', () => {
  it('while a rebuild transaction is open, a write to another table fails at once without a busy timeout, and after it with one', () => {
    db.exec(`${PARENT} CREATE TABLE other (x INTEGER);`);
    db.exec(
      `BEGIN; CREATE TABLE new_p (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO new_p SELECT * FROM p;`,
    );
    const app = new Database(path, { timeout: 0 });
    try {
      expect(app.pragma('busy_timeout', { simple: true })).toBe(0);
      expect(error('INSERT INTO other VALUES (1)', app)).toBe('database is locked');
      app.pragma('busy_timeout = 150');
      const started = Date.now();
      expect(error('INSERT INTO other VALUES (1)', app)).toBe('database is locked');
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      // Readers go on meanwhile (rollback journal, nothing spilled yet).
      expect(app.prepare('SELECT count(*) AS n FROM p').get()).toEqual({ n: 2 });
    } finally {
      app.close();
    }
    db.exec('ROLLBACK');
  });

  it("better-sqlite3's connections wait 5 s by default", () => {
    const other = new Database(path);
    try {
      expect(other.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      other.close();
    }
  });

  it('VACUUM cannot run inside a transaction', () => {
    expect(error('BEGIN; VACUUM;')).toBe('cannot VACUUM from within a transaction');
    db.exec('ROLLBACK');
  });
});

describe('rules for every dialect, as they speak SQLite', () => {
  it("missing-object quotes SQLite's own messages", () => {
    db.exec('CREATE TABLE t (a INTEGER); CREATE INDEX t_a ON t (a);');
    expect(error('CREATE TABLE t (x)')).toBe('table t already exists');
    expect(error('ALTER TABLE nope ADD COLUMN c')).toBe('no such table: nope');
    expect(error('DROP TABLE nope')).toBe('no such table: nope');
    expect(error('ALTER TABLE t ADD COLUMN a')).toBe('duplicate column name: a');
    expect(error('ALTER TABLE t DROP COLUMN nope')).toBe('no such column: "nope"');
    expect(error('CREATE INDEX t_a ON t (a)')).toBe('index t_a already exists');
    expect(error('DROP INDEX nope')).toBe('no such index: nope');
  });

  it('rename-table: a view under the old name reads, and takes no writes', () => {
    db.exec(
      'CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1); ALTER TABLE t RENAME TO u; CREATE VIEW t AS SELECT * FROM u;',
    );
    expect(db.prepare('SELECT a FROM t').all()).toEqual([{ a: 1 }]);
    expect(error('INSERT INTO t VALUES (2)')).toBe('cannot modify t because it is a view');
  });
});
