/**
 * The SQLite step runner on real files: its text form, its transaction (BEGIN IMMEDIATE), a
 * step's own BEGIN … COMMIT with foreign keys off around it, checks that answer in rows, the
 * session put back as it was, a resumed step, a backfill in batches; and the plain and live
 * reads on the same sessions.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/core/dialect/driver.js';
import { sqliteDialect } from '../../../src/dialects/sqlite/index.js';
import { sqliteSession } from '../../../src/dialects/sqlite/session.js';
import { pendingMigrations } from '../../../src/formats/history.js';
import { step, tempDir, writeRows, type TempDir } from './driver-support.js';

const driver = sqliteDialect.driver!;
const runner = driver.steps;

let tmp: TempDir;
let path: string;
const sessions: Session[] = [];

const open = async (readOnly = false) => {
  const s = await driver.connect(path, { applicationName: 'test', readOnly });
  sessions.push(s);
  return s;
};

/** Parents with children that ON DELETE CASCADE: dropping the parent table with foreign keys on deletes them. */
const FAMILY = `
  CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT);
  CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);
  INSERT INTO p VALUES (1, 'a'), (2, 'b');
  INSERT INTO c VALUES (1, 1), (2, 2);
`;

/** The 12-step rebuild of p (https://www.sqlite.org/lang_altertable.html#otheralter). */
const REBUILD = [
  'PRAGMA foreign_keys = OFF',
  'BEGIN',
  'CREATE TABLE new_p (id INTEGER PRIMARY KEY, name TEXT NOT NULL)',
  'INSERT INTO new_p (id, name) SELECT id, name FROM p',
  'DROP TABLE p',
  'ALTER TABLE new_p RENAME TO p',
  'PRAGMA foreign_key_check',
  'COMMIT',
  'PRAGMA foreign_keys = ON',
];

beforeEach(() => {
  tmp = tempDir();
  path = tmp.path('app.db');
  const db = new Database(path);
  db.exec(FAMILY);
  db.close();
});
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  tmp.remove();
});

const count = (s: Session, table: string) =>
  sqliteSession(s).rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]?.n;

describe('sqlite step runner', () => {
  it('writes the lock wait first, and says which SQL must run outside a transaction', () => {
    expect(runner.text(step(['ALTER TABLE p ADD COLUMN x TEXT'], { lockTimeoutMs: 1500 }))).toEqual([
      'PRAGMA busy_timeout = 1500',
      'ALTER TABLE p ADD COLUMN x TEXT',
    ]);
    expect(runner.outsideTransaction(REBUILD)).toBe(true);
    expect(runner.outsideTransaction(['VACUUM'])).toBe(true);
    expect(runner.outsideTransaction(['DROP INDEX i', 'PRAGMA foreign_key_check'])).toBe(false);
  });

  it('a rebuild with foreign keys off keeps the children a DROP TABLE would otherwise cascade to', async () => {
    // What the runner guards against, shown first: foreign keys on, DROP TABLE deletes the children.
    const raw = new Database(path);
    raw.pragma('foreign_keys = on');
    raw.exec('BEGIN; DROP TABLE p;');
    expect(raw.prepare('SELECT count(*) AS n FROM c').get()).toEqual({ n: 0 });
    raw.exec('ROLLBACK');
    raw.close();

    const s = await open();
    await runner.apply(s, step(REBUILD, { transactional: false }));
    expect([count(s, 'p'), count(s, 'c')]).toEqual([2, 2]);
    expect(sqliteSession(s).db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('a step resumed on a new session makes its earlier settings again before going on', async () => {
    const s = await open();
    // The crash came after PRAGMA foreign_keys = OFF: from statement 1 (BEGIN) on, on a session
    // that opened with foreign keys on.
    expect(sqliteSession(s).db.pragma('foreign_keys', { simple: true })).toBe(1);
    const seen: number[] = [];
    await runner.run(s, step(REBUILD, { transactional: false }), undefined, {
      from: 1,
      progress: (n) => {
        seen.push(n);
        return Promise.resolve();
      },
    });
    expect([count(s, 'p'), count(s, 'c')]).toEqual([2, 2]);
    // Nothing inside BEGIN … COMMIT counts as done before COMMIT.
    expect(seen).toEqual([1, 8, 9]);
  });

  it('fails a step whose foreign_key_check reports rows, and commits nothing of it', async () => {
    const s = await open();
    const broken = [
      'PRAGMA foreign_keys = OFF',
      'BEGIN',
      'INSERT INTO c VALUES (3, 42)',
      'PRAGMA foreign_key_check',
      'COMMIT',
      'PRAGMA foreign_keys = ON',
    ];
    await expect(runner.apply(s, step(broken, { transactional: false }))).rejects.toThrow(
      'expand-1: PRAGMA foreign_key_check found 1 row(s) whose parent is missing: c row 3 → p',
    );
    expect(count(s, 'c')).toBe(2);
    expect(sqliteSession(s).db.inTransaction).toBe(false);
    expect(sqliteSession(s).db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('runs a transactional step in BEGIN IMMEDIATE, and refuses a setting SQLite would ignore there', async () => {
    const s = await open();
    const other = new Database(path, { timeout: 0 });
    other.exec('BEGIN IMMEDIATE');
    // Another writer holds the lock: the step waits its busy_timeout, then SQLITE_BUSY.
    const started = Date.now();
    await expect(runner.apply(s, step(['UPDATE p SET name = 1'], { lockTimeoutMs: 300 }))).rejects.toThrow(
      /database is locked \(SQLITE_BUSY\)/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    other.exec('ROLLBACK');
    other.close();
    await expect(runner.apply(s, step(['PRAGMA foreign_keys = OFF', 'DROP TABLE p']))).rejects.toThrow(
      /"PRAGMA foreign_keys = OFF" cannot run inside the step's transaction/,
    );
    expect(count(s, 'p')).toBe(2);
    // Its busy_timeout is back to what it was (better-sqlite3's default).
    expect(sqliteSession(s).db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('undoes a step and answers checks by their first column', async () => {
    const s = await open();
    const add = step(['ALTER TABLE p ADD COLUMN x TEXT'], { rollback: ['ALTER TABLE p DROP COLUMN x'] });
    await runner.apply(s, add);
    expect(
      await runner.check(s, {
        description: 'x exists',
        sql: "SELECT count(*) = 1 FROM pragma_table_info('p') WHERE name = 'x'",
      }),
    ).toBe(true);
    await runner.rollback(s, add);
    expect(
      await runner.check(s, {
        description: 'x exists',
        sql: "SELECT count(*) = 1 FROM pragma_table_info('p') WHERE name = 'x'",
      }),
    ).toBe(false);
  });

  it('runs a backfill batch after batch until no row is left', async () => {
    writeRows(tmp.path('rows.db'), 0);
    path = tmp.path('rows.db');
    const s = await open();
    sqliteSession(s).exec(
      "INSERT INTO t (a, b) SELECT 'x', NULL FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1234) SELECT i FROM n)",
    );
    const backfill = step(['UPDATE t SET b = 0 WHERE b IS NULL'], {
      transactional: false,
      backfill: {
        table: 'main.t',
        keyColumns: ['id'],
        set: [{ column: 'b', expression: 'length(a)' }],
        remaining: 'b IS NULL',
        batchSize: 100,
        pauseMs: 0,
        estimatedRows: 1234,
      },
    });
    expect(runner.text(backfill)).toHaveLength(1 + 14);
    await runner.apply(s, backfill);
    expect(sqliteSession(s).rows('SELECT count(*) AS n FROM t WHERE b = 1')).toEqual([{ n: 1234 }]);
  });
});

describe('sqlite plain and live reads', () => {
  it('reads a migration tool’s history table without information_schema', async () => {
    const w = new Database(path);
    w.exec(
      "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101000000')",
    );
    w.close();
    const s = await open(true);
    const reads = driver.reads!;
    expect(await reads.currentSchema(s)).toBe('main');
    expect(await reads.tableExists!(s, 'main', 'schema_migrations')).toBe(true);
    expect(await reads.tableExists!(s, 'main', 'nope')).toBe(false);
    await expect(reads.select(s, 'DELETE FROM p')).rejects.toThrow(/not a read/);
    const result = await pendingMigrations({
      runner: 'dbmate',
      files: [
        {
          path: 'db/migrations/20240101000000_a.sql',
          sql: 'CREATE TABLE a (x);',
          transaction: 'transaction',
        },
        {
          path: 'db/migrations/20240202000000_b.sql',
          sql: 'CREATE TABLE b (x);',
          transaction: 'transaction',
        },
      ],
      cwd: tmp.dir,
      dialect: sqliteDialect,
      session: s,
    });
    expect(result.pending.map((f) => f.path)).toEqual(['db/migrations/20240202000000_b.sql']);
    expect(result.table).toBe('main.schema_migrations');
  });

  it('measures the tables a migration touches as they are now', async () => {
    const snapshot = await driver.inspect(path);
    const w = new Database(path);
    w.exec("INSERT INTO p (name) SELECT 'n' || value FROM json_each(json_array(1,2,3,4,5,6,7,8,9,10))");
    w.close();
    const s = await open(true);
    await driver.live!.measureTables(s, snapshot, ['main.p']);
    expect(snapshot.tables.find((t) => t.name === 'p')?.stats.rowEstimate).toBe(12);
    expect(snapshot.tables.find((t) => t.name === 'c')?.stats.rowEstimate).toBe(2);
  });

  it('knows SQLite’s functions: random() volatile, abs() immutable, datetime() stable', async () => {
    const s = await open(true);
    const v = await driver.live!.functionVolatility(s, ['random', 'abs', 'datetime', 'no_such_function']);
    expect(Object.fromEntries([...v].filter(([k]) => !k.includes('.')))).toEqual({
      random: 'volatile',
      abs: 'immutable',
      datetime: 'stable',
    });
  });
});
