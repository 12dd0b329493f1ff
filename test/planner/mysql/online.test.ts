/**
 * What the MySQL plans do to traffic, measured on MariaDB while another session writes: the
 * statement as written that copies the table blocks the writer; the plan's steps do not. And
 * what deploy relies on: a step whose metadata lock wait runs out fails with an error code the
 * step's retry policy names.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectMysql } from '../../../src/dialects/mysql/connect.js';
import type { MysqlSession } from '../../../src/dialects/mysql/session.js';
import { mysqlSteps } from '../../../src/dialects/mysql/steps/runner.js';
import { traceMysqlStatement } from '../../../src/dialects/mysql/trace/trace.js';
import { blockedBy, Probe } from '../../../src/dialects/mysql/trace/probe.js';
import { createTempDatabase, describeMysql, type TempDatabase } from '../../dialects/mysql/support.js';
import { planFor } from './support.js';

/** 20,000 rows of ~1 kB: a copy takes long enough that a blocked writer stands out (as in trace.test.ts). */
const TABLE = [
  'CREATE TABLE t (id int PRIMARY KEY AUTO_INCREMENT, c int NULL, filler varchar(1000)) ENGINE=InnoDB',
  "INSERT INTO t (c, filler) SELECT IF(seq % 10 = 0, NULL, seq), repeat('x', 1000) FROM seq_1_to_20000",
];
const WRITE = "INSERT INTO t (c, filler) VALUES (1, 'w')";

/** DDL statements of a step (the session settings around them are not traced). */
const ddl = (sql: readonly string[]) => sql.filter((s) => /^(--[^\n]*\n)*\s*ALTER TABLE/i.test(s));

describeMysql('MySQL plans under write traffic on MariaDB', (serverUrl) => {
  let db: TempDatabase;
  let session: MysqlSession;
  beforeAll(async () => {
    db = await createTempDatabase(serverUrl, TABLE);
    session = await connectMysql(db.url);
  });
  afterAll(async () => {
    await session?.close();
    await db?.drop();
  });
  const trace = (sql: string) =>
    traceMysqlStatement(session, sql, { connect: () => connectMysql(db.url), table: 't', write: WRITE });

  it('ADD COLUMN … DEFAULT (uuid()): as written it blocks the writer; no step of the plan does', async () => {
    const twin = await createTempDatabase(serverUrl, TABLE);
    try {
      const other = await connectMysql(twin.url);
      try {
        const naive = await traceMysqlStatement(
          other,
          'ALTER TABLE t ADD COLUMN token char(36) DEFAULT (uuid())',
          {
            connect: () => connectMysql(twin.url),
            table: 't',
            write: WRITE,
          },
        );
        expect(naive.algorithm).toBe('COPY');
        expect(naive.writers.blocked).toBe(true);
      } finally {
        await other.close();
      }
    } finally {
      await twin.drop();
    }

    const p = await planFor(
      db.url,
      db.name,
      'ALTER TABLE t ADD COLUMN token char(36) DEFAULT (uuid())',
      'none',
    );
    expect(p.steps.map((s) => s.phase)).toEqual(['expand', 'expand', 'backfill']);
    for (const step of p.steps.filter((s) => !s.backfill)) {
      for (const sql of ddl(step.sql)) {
        const t = await trace(sql);
        expect(t.writers.blocked, `${step.id}: ${sql}`).toBe(false);
        expect(t.algorithm, sql).toBe('INSTANT');
      }
    }
    const backfill = p.steps.find((s) => s.backfill);
    if (!backfill) throw new Error('no backfill step');
    const writer = await connectMysql(db.url);
    try {
      const probe = new Probe(writer, WRITE);
      await probe.start();
      const window = { start: performance.now(), end: 0 };
      await mysqlSteps.run(session, backfill);
      window.end = performance.now();
      const result = blockedBy(WRITE, await probe.stop(), window, { minMs: 50, share: 0.5 });
      expect(result.blocked).toBe(false);
      expect(result.runs).toBeGreaterThan(5);
    } finally {
      await writer.close();
    }
    const [left] = await session.rows<{ n: number }>('SELECT COUNT(*) AS n FROM t WHERE token IS NULL');
    expect(Number(left?.n)).toBe(0);
  });

  it('NOT NULL: MODIFY in place rebuilds the table while the writer goes on', async () => {
    const p = await planFor(db.url, db.name, 'ALTER TABLE t MODIFY c int NOT NULL DEFAULT 0', 'none');
    expect(p.steps.map((s) => s.phase)).toEqual(['backfill', 'validate']);
    const [backfill, modify] = p.steps;
    if (!backfill || !modify) throw new Error('two steps expected');
    await mysqlSteps.apply(session, backfill);
    const [statement] = ddl(modify.sql);
    expect(statement).toMatch(/ALGORITHM=INPLACE, LOCK=NONE$/);
    const t = await trace(statement ?? '');
    // https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/
    // (MODIFY … NOT NULL: INPLACE, rebuilds): a new table id, no rows copied, writes went on.
    expect(t.algorithm).toBe('INPLACE');
    expect(t.rebuilt).toBe(true);
    expect(t.affectedRows).toBe(0);
    expect(t.writers.blocked).toBe(false);
  });

  it("a lock wait that runs out fails with the error code the step's retry policy names", async () => {
    const p = await planFor(db.url, db.name, 'ALTER TABLE t ADD COLUMN d int', 'none');
    const [step] = p.steps;
    if (!step) throw new Error('one step expected');
    // lock_wait_timeout takes whole seconds: the plan's timeouts are whole seconds too.
    expect(step.lockTimeoutMs % 1000).toBe(0);
    const reader = await connectMysql(db.url);
    try {
      // An open transaction that read the table holds its metadata lock until it ends.
      await reader.rows('START TRANSACTION');
      await reader.rows('SELECT id FROM t LIMIT 1');
      const started = Date.now();
      const failure = await mysqlSteps.run(session, { ...step, lockTimeoutMs: 1000 }).then(
        () => null,
        (error: unknown) => error as { code?: string; errno?: number },
      );
      expect(failure?.errno).toBe(1205);
      // deploy compares the server's error number, as text, with retryOn (deploy/errors.ts).
      expect(step.retry.retryOn).toContain(String(failure?.errno));
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await reader.rows('ROLLBACK');
      await reader.close();
    }
  });
});
