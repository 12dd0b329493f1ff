/**
 * SQLite's validation half on real files: the schema put on a scratch copy (from the snapshot,
 * from a backup-API copy with rows), steps traced (the database write lock and who it blocked,
 * rewrites seen from the b-trees), SQLite's own integrity checks, and validate end to end.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../src/core/dialect/driver.js';
import type { ScratchServer } from '../../../src/core/dialect/scratch.js';
import type { Plan, PlanStep } from '../../../src/core/plan.js';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/plan.js';
import { sqliteDialect } from '../../../src/dialects/sqlite/index.js';
import { sqliteSession } from '../../../src/dialects/sqlite/session.js';
import { parseSqliteTarget } from '../../../src/dialects/sqlite/url.js';
import { diffSnapshots } from '../../../src/schema/diff.js';
import { validatePlan } from '../../../src/validate/validate.js';
import { step, tempDir, writeFixture, writeRows, type TempDir } from './driver-support.js';

const driver = sqliteDialect.driver!;
const validation = driver.validation!;

let tmp: TempDir;
let server: ScratchServer;
const sessions: Session[] = [];

beforeEach(async () => {
  tmp = tempDir();
  server = await sqliteDialect.scratch!.open({ major: null });
});
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  await server.close();
  tmp.remove();
});

async function open(url: string): Promise<Session> {
  const s = await driver.connect(url, { applicationName: 'test' });
  sessions.push(s);
  return s;
}

const noLocks = { url: '', lockedTables: () => [] as string[] };

describe('sqlite: a schema on a scratch database', () => {
  it('recreates every object kind from a snapshot, to an equal snapshot', async () => {
    const path = tmp.path('app.db');
    writeFixture(path);
    const source = await driver.inspect(path);
    const db = await server.createDatabase();
    const report = await validation.loadSchema(await open(db.url), { kind: 'snapshot', snapshot: source });
    expect(report).toEqual({ method: 'snapshot', warnings: [] });
    const copy = validation.comparable!(await driver.inspect(db.url));
    expect(diffSnapshots(source, copy)).toEqual([]);
    expect(copy.hash).toBe(source.hash);
    expect(copy.database).toBe('app.db');
    // The schema only: no rows.
    expect(copy.tables.find((t) => t.name === 'orders')?.stats.rowEstimate).toBe(0);
  });

  it('copies the live file with its rows through the backup API (--clone auto)', async () => {
    const path = tmp.path('app.db');
    writeRows(path, 3000, { wal: true });
    const source = await driver.inspect(`sqlite:${path}`);
    const db = await server.createDatabase();
    const s = await open(db.url);
    const report = await validation.loadSchema(s, {
      kind: 'pg-dump',
      url: `sqlite:${path}`,
      snapshot: source,
    });
    expect(report.method).toMatch(/^copy of app\.db with its rows \(online backup API, /);
    expect(sqliteSession(s).rows('SELECT count(*) AS n FROM t')).toEqual([{ n: 3000 }]);
    const copy = await driver.inspect(db.url);
    expect([copy.hash, copy.sqliteFile?.journalMode]).toEqual([source.hash, 'wal']);
    // A twin of it is a copy of the copy.
    const twin = await server.createDatabase(db.name);
    expect(validation.comparable!(await driver.inspect(twin.url)).database).toBe('app.db');
  });

  it('runs migration files as written, a failing one rolled back whole', async () => {
    const db = await server.createDatabase();
    const s = await open(db.url);
    const failure = await validation.runAsWritten(s, [
      { path: 'a.sql', sql: 'CREATE TABLE a (x INTEGER);', transaction: 'transaction' },
      {
        path: 'b.sql',
        sql: 'CREATE TABLE b (y);\nALTER TABLE a ADD COLUMN z INTEGER PRIMARY KEY;',
        transaction: 'transaction',
      },
    ]);
    expect(failure).toMatchObject({ file: 'b.sql', line: 2, sqlstate: 'SQLITE_ERROR' });
    expect(failure?.message).toMatch(/Cannot add a PRIMARY KEY column/);
    const names = sqliteSession(s).rows<{ name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table'",
    );
    expect(names).toEqual([{ name: 'a' }]);
  });
});

describe('sqlite: tracing a step on a table with rows', () => {
  let made = 0;
  async function withRows(
    rows: number,
    options: { wal?: boolean } = {},
  ): Promise<{ url: string; s: Session }> {
    const path = tmp.path(`t${rows}-${++made}.db`);
    writeRows(path, rows, options);
    const db = await server.createDatabase();
    const s = await open(db.url);
    await validation.loadSchema(s, { kind: 'pg-dump', url: path, snapshot: await driver.inspect(path) });
    return { url: db.url, s };
  }

  it('DROP COLUMN rewrites every row under the write lock; ADD COLUMN rewrites none', async () => {
    const { url, s } = await withRows(20_000);
    const trace = await validation.traceStep(
      s,
      step(['ALTER TABLE t DROP COLUMN a', 'ALTER TABLE t ADD COLUMN c TEXT']),
      {
        ...noLocks,
        url,
      },
    );
    expect(trace.error).toBeUndefined();
    const [setting, drop, add] = trace.statements;
    expect(setting).toMatchObject({ sql: 'PRAGMA busy_timeout = 2000', trace: null });
    expect(drop?.trace?.rewrittenTables).toEqual(['main.t']);
    expect(add?.trace?.rewrittenTables).toEqual([]);
    for (const t of [drop?.trace, add?.trace]) {
      expect(t?.inTransaction).toBe(true);
      expect(t?.locks.map((l) => l.relation)).toEqual(['main.t']);
      expect(t?.online?.blocksWrites).toBe(true);
    }
    // A writer arriving as DROP COLUMN started waits until the step's COMMIT: past both statements.
    expect(drop?.trace?.online?.writerWaitMs).toBeGreaterThanOrEqual(
      (drop?.durationMs ?? 0) + (add?.durationMs ?? 0),
    );
    expect(sqliteSession(s).rows('SELECT count(*) AS n FROM t')).toEqual([{ n: 20_000 }]);
  });

  it('a writer that outgrows its page cache in rollback-journal mode stops readers too (EXCLUSIVE); in WAL mode it never does', async () => {
    const rollback = await withRows(20_000);
    sqliteSession(rollback.s).exec('PRAGMA cache_size = 10');
    const spilled = await validation.traceStep(
      rollback.s,
      step(["UPDATE t SET a = a || '!'"]),
      noLocksAt(rollback.url),
    );
    expect(spilled.statements[1]?.trace?.locks[0]?.mode).toBe('EXCLUSIVE');
    expect(spilled.statements[1]?.trace?.online).toMatchObject({ blocksWrites: true, blocksReads: true });

    const small = await withRows(20_000);
    const fits = await validation.traceStep(
      small.s,
      step(['UPDATE t SET b = b + 1 WHERE id < 10']),
      noLocksAt(small.url),
    );
    expect(fits.statements[1]?.trace?.locks[0]?.mode).toBe('RESERVED');
    expect(fits.statements[1]?.trace?.online?.blocksReads).toBe(false);

    const wal = await withRows(20_000, { wal: true });
    sqliteSession(wal.s).exec('PRAGMA cache_size = 10');
    const walTrace = await validation.traceStep(
      wal.s,
      step(["UPDATE t SET a = a || '!'"]),
      noLocksAt(wal.url),
    );
    expect(walTrace.statements[1]?.trace?.online).toMatchObject({ blocksWrites: true, blocksReads: false });
  });

  it('traces the 12-step rebuild: foreign keys off around its own transaction, the lock held until COMMIT', async () => {
    const { url, s } = await withRows(5000);
    const rebuild = [
      'PRAGMA foreign_keys = OFF',
      'BEGIN',
      'CREATE TABLE new_t (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INTEGER)',
      'INSERT INTO new_t (id, a, b) SELECT id, a, b FROM t',
      'DROP TABLE t',
      'ALTER TABLE new_t RENAME TO t',
      'CREATE INDEX t_b ON t (b)',
      'PRAGMA foreign_key_check',
      'COMMIT',
      'PRAGMA foreign_keys = ON',
    ];
    const trace = await validation.traceStep(s, step(rebuild, { transactional: false }), { ...noLocks, url });
    expect(trace.error).toBeUndefined();
    expect(trace.statements.map((x) => x.trace === null)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    const inside = trace.statements.slice(3, 9);
    expect(inside.every((x) => x.trace?.inTransaction)).toBe(true);
    const insert = trace.statements[4];
    // new_t is the step's own; validate looks only at tables that existed before the migration.
    expect(insert?.trace?.locks.map((l) => l.relation)).toEqual(['main.new_t', 'main.t']);
    const untilCommit = trace.statements.slice(4, 10).reduce((sum, x) => sum + x.durationMs, 0);
    expect(insert?.trace?.online?.writerWaitMs).toBeGreaterThanOrEqual(untilCommit);
    expect(trace.statements[7]?.trace?.createdIndexes).toEqual([{ index: 'main.t_b', table: 'main.t' }]);
    const db = sqliteSession(s);
    expect(db.rows('SELECT count(*) AS n FROM t')).toEqual([{ n: 5000 }]);
    // The session's own foreign_keys setting is back as it was (better-sqlite3 opens with it on).
    expect(db.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('returns a failing statement with the ones before it, its transaction rolled back', async () => {
    const { url, s } = await withRows(100);
    const trace = await validation.traceStep(
      s,
      step(['ALTER TABLE t ADD COLUMN c TEXT', 'ALTER TABLE t ADD COLUMN d TEXT NOT NULL']),
      { ...noLocks, url },
    );
    expect(trace.statements).toHaveLength(2);
    expect(trace.error).toMatchObject({ sqlstate: 'SQLITE_ERROR' });
    expect(trace.error?.message).toMatch(/Cannot add a NOT NULL column with default value NULL/);
    const columns = sqliteSession(s).rows<{ name: string }>('SELECT name FROM pragma_table_info(?)', 't');
    expect(columns.map((c) => c.name)).toEqual(['id', 'a', 'b']);
  });
});

function noLocksAt(url: string) {
  return { url, lockedTables: () => [] as string[] };
}

describe('sqlite: integrity after the plan and its rollback', () => {
  it('reports rows whose parent is missing, and nothing on a sound database', async () => {
    const db = await server.createDatabase();
    const s = await open(db.url);
    const raw = sqliteSession(s);
    raw.exec(
      'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id))',
    );
    raw.exec('INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1)');
    expect(await validation.checkIntegrity!(s)).toEqual([]);
    raw.exec('PRAGMA foreign_keys = OFF; INSERT INTO c VALUES (2, 7), (3, 8); PRAGMA foreign_keys = ON');
    expect(await validation.checkIntegrity!(s)).toEqual([
      'PRAGMA foreign_key_check: 2 row(s) of c reference a missing row of p (rowid 2, 3)',
    ]);
  });

  it('validate end to end: a plan proven on a copy of the file, and one that leaves orphans failed', async () => {
    const path = tmp.path('app.db');
    writeFixture(path);
    const snapshot = await driver.inspect(path);
    const plan = (steps: PlanStep[]): Plan => ({
      formatVersion: 1,
      dialect: 'sqlite',
      serverMajor: snapshot.serverVersionNum,
      sourceSchemaHash: snapshot.hash,
      options: DEFAULT_PLAN_OPTIONS,
      sources: [],
      steps,
      rollbackComplexity: 1,
      recommendedApproach: '',
      warnings: [],
    });
    const addNote = 'ALTER TABLE orders ADD COLUMN note TEXT';
    const good = await validatePlan({
      dialect: sqliteDialect,
      plan: plan([step([addNote], { rollback: ['ALTER TABLE orders DROP COLUMN note'] })]),
      original: [{ path: 'm.sql', sql: `${addNote};`, transaction: 'transaction' }],
      schema: { kind: 'pg-dump', url: `sqlite:${path}`, snapshot },
      scratch: server,
      predict: () => Promise.resolve(new Map()),
    });
    expect(good.findings).toEqual([]);
    expect(good.passed).toBe(true);
    expect(good.clone).toMatch(/^copy of app\.db with its rows/);
    expect([good.intent.checked, good.rollback.checked]).toEqual([true, true]);

    const orphan = "INSERT INTO order_lines VALUES (99, 1, 'Z', 1)";
    const bad = await validatePlan({
      dialect: sqliteDialect,
      plan: plan([
        step(['PRAGMA foreign_keys = OFF', orphan, 'PRAGMA foreign_keys = ON'], {
          transactional: false,
          rollback: ['DELETE FROM order_lines WHERE order_id = 99'],
        }),
      ]),
      original: [{ path: 'm.sql', sql: `${orphan};`, transaction: 'none' }],
      schema: { kind: 'pg-dump', url: `sqlite:${path}`, snapshot },
      scratch: server,
      predict: () => Promise.resolve(new Map()),
    });
    expect(bad.passed).toBe(false);
    expect(bad.findings.filter((f) => f.check === 'integrity').map((f) => f.message)).toEqual([
      'after the plan: PRAGMA foreign_key_check: 1 row(s) of order_lines reference a missing row of orders (rowid 4)',
    ]);
    // The user's file was only read.
    const live = new Database(path, { readonly: true });
    expect(live.prepare('SELECT count(*) AS n FROM order_lines').get()).toEqual({ n: 3 });
    live.close();
    expect(parseSqliteTarget(`sqlite:${path}`).path).toBe(path);
  });
});
