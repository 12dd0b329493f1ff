/**
 * Backfills and leftovers on MariaDB. A backfill runs in batches, each its own transaction with
 * its progress journaled in it; a deploy process killed part way resumes after the last batch
 * that committed, so every row is updated exactly once. Tables without a primary key batch with
 * UPDATE … LIMIT. What a killed pt-online-schema-change leaves (shadow table, triggers) is listed
 * and dropped triggers first; a user's own `_x_new` and a swap's `_x_old` are not touched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RowDataPacket } from 'mysql2';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { BackfillSpec } from '../../../src/core/plan.js';
import { deploy } from '../../../src/deploy/deploy.js';
import { connectMysql } from '../../../src/dialects/mysql/connect.js';
import { mysqlLeftovers } from '../../../src/dialects/mysql/deploy/leftovers.js';
import { runCli } from '../../support/cli.js';
import {
  connection,
  deployOptions,
  journalSteps,
  planOf,
  schemaHash,
  stepOf,
  dropWithJournal,
} from './deploy-support.js';
import { adminRun, createTempDatabase, describeMysql, type TempDatabase } from './support.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const ROWS = 6000;

async function one(url: string, sql: string): Promise<number> {
  const c = await connection(url);
  try {
    const [rows] = await c.query<RowDataPacket[]>(sql);
    return Number(Object.values(rows[0] ?? {})[0]);
  } finally {
    await c.end();
  }
}

describeMysql('deploy on MariaDB: backfills in batches, leftovers', (serverUrl) => {
  let db: TempDatabase;
  beforeEach(async () => {
    db = await createTempDatabase(serverUrl, [
      'CREATE TABLE events (id int PRIMARY KEY, n int NOT NULL DEFAULT 0, done tinyint NOT NULL DEFAULT 0) ENGINE=InnoDB',
      `INSERT INTO events (id) SELECT seq FROM seq_1_to_${ROWS}`,
      'CREATE TABLE tags (a int NOT NULL, b int NOT NULL, n int NOT NULL DEFAULT 0, done tinyint NOT NULL DEFAULT 0, PRIMARY KEY (a, b)) ENGINE=InnoDB',
      'INSERT INTO tags (a, b) SELECT seq % 7, seq FROM seq_1_to_500',
      'CREATE TABLE loose (v int NOT NULL, n int NOT NULL DEFAULT 0, done tinyint NOT NULL DEFAULT 0) ENGINE=InnoDB',
      'INSERT INTO loose (v) SELECT seq FROM seq_1_to_450',
    ]);
  });
  afterEach(async () => {
    await dropWithJournal(serverUrl, db);
  });

  const spec = (table: string, keyColumns: string[], extra: Partial<BackfillSpec> = {}): BackfillSpec => ({
    table: `${db.name}.${table}`,
    keyColumns,
    set: [
      { column: 'n', expression: 'n + 1' },
      { column: 'done', expression: '1' },
    ],
    remaining: 'done = 0',
    batchSize: 100,
    pauseMs: 0,
    ...extra,
  });
  const backfillStep = (id: string, s: BackfillSpec) =>
    stepOf(id, [`UPDATE ${s.table} SET n = n + 1, done = 1 WHERE done = 0 LIMIT ${s.batchSize}`], {
      phase: 'backfill',
      backfill: s,
    });

  it('a deploy killed mid-backfill resumes after the last committed batch: every row once', async () => {
    const plan = planOf(
      [backfillStep('backfill-1', spec('events', ['id'], { batchSize: 200, pauseMs: 40 }))],
      await schemaHash(db.url),
    );
    const planFile = join(mkdtempSync(join(tmpdir(), 'sp-mysql-backfill-')), 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'deploy', planFile, '--db', db.url],
      {
        cwd: root,
        stdio: 'ignore',
      },
    );
    let progress = { rows: 0, lastKey: null as string | null };
    const end = Date.now() + 30_000;
    while (progress.rows < 600 && Date.now() < end) {
      const step = (await journalSteps(serverUrl, db.name).catch(() => []))[0];
      if (step?.backfill) progress = JSON.parse(step.backfill) as typeof progress;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(progress.rows).toBeGreaterThanOrEqual(600);
    expect(progress.rows).toBeLessThan(ROWS);

    const resumed = await runCli(['deploy', planFile, '--db', db.url]);
    expect(resumed.stdout).toMatch(/resumed and succeeded/);
    expect(await one(db.url, 'SELECT COUNT(*) FROM events WHERE n <> 1 OR done <> 1')).toBe(0);
    const step = (await journalSteps(serverUrl, db.name))[0];
    expect(step?.status).toBe('done');
    expect((JSON.parse(step?.backfill ?? '{}') as { rows: number }).rows).toBe(ROWS);
  }, 90_000);

  it('batches by a composite primary key, and with UPDATE … LIMIT on a table without one', async () => {
    const plan = planOf(
      [backfillStep('backfill-1', spec('tags', ['a', 'b'])), backfillStep('backfill-2', spec('loose', []))],
      await schemaHash(db.url),
    );
    const result = await deploy(deployOptions(db.url, plan));
    expect(result.deploy?.status).toBe('succeeded');
    expect(await one(db.url, 'SELECT COUNT(*) FROM tags WHERE n <> 1 OR done <> 1')).toBe(0);
    expect(await one(db.url, 'SELECT COUNT(*) FROM loose WHERE n <> 1 OR done <> 1')).toBe(0);
    const steps = await journalSteps(serverUrl, db.name);
    const batches = steps.map((s) => JSON.parse(s.backfill ?? '{}') as { batches: number; rows: number });
    expect(batches.map((b) => b.rows)).toEqual([500, 450]);
    // Several batches each (at most 100 rows per batch).
    for (const b of batches) expect(b.batches).toBeGreaterThanOrEqual(5);
  });

  it("a plan made on another database backfills the deploy's own (a twin such as staging)", async () => {
    // The plan names `shop.tags`, as a plan made on a database `shop` does; deployed on this
    // database, its backfill must update this database's `tags` like every other step.
    const plan = planOf(
      [backfillStep('backfill-1', { ...spec('tags', ['a', 'b']), table: 'shop.tags' })],
      await schemaHash(db.url),
    );
    const result = await deploy(deployOptions(db.url, plan));
    expect(result.deploy?.status).toBe('succeeded');
    expect(await one(db.url, 'SELECT COUNT(*) FROM tags WHERE n <> 1 OR done <> 1')).toBe(0);
  });

  it('lists what a killed pt-online-schema-change left, and drops the triggers before their table', async () => {
    const pt = (event: string, action: string) =>
      `CREATE TRIGGER pt_osc_${db.name}_events_${event} AFTER ${action} ON events FOR EACH ROW REPLACE INTO _events_new (id, n, done) VALUES (NEW.id, NEW.n, NEW.done)`;
    await adminRun(db.url, [
      'CREATE TABLE _events_new LIKE events',
      pt('ins', 'INSERT'),
      pt('upd', 'UPDATE'),
      'CREATE TABLE _events_old LIKE events', // a finished swap's old table: the rollback's data
      'CREATE TABLE _audit_new (id int PRIMARY KEY)', // no table `audit`: the user's own
    ]);
    const session = await connectMysql(db.url);
    try {
      expect(await mysqlLeftovers.list(session)).toEqual([
        `${db.name}.pt_osc_${db.name}_events_ins`,
        `${db.name}.pt_osc_${db.name}_events_upd`,
        `${db.name}._events_new`,
      ]);
      expect(await mysqlLeftovers.drop(session, `${db.name}._events_new`)).toBe(true);
      expect(await mysqlLeftovers.list(session)).toEqual([]);
      // Writes to the table work again (the triggers wrote into the dropped table).
      await session.rows('INSERT INTO events (id) VALUES (?)', [ROWS + 1]);
      expect(
        await one(
          db.url,
          "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('_events_old', '_audit_new')",
        ),
      ).toBe(2);
    } finally {
      await session.close();
    }
  });

  it('a failed deploy drops the leftovers its step made and says so in the incident', async () => {
    const plan = planOf(
      [
        stepOf('expand-1', [
          'CREATE TABLE _events_gho LIKE events',
          'CREATE TABLE _events_ghc (id int PRIMARY KEY)',
          'ALTER TABLE events ADD COLUMN id int', // duplicate column: fails
        ]),
      ],
      await schemaHash(db.url),
    );
    const result = await deploy(deployOptions(db.url, plan));
    expect(result.incident?.error.sqlstate).toBe('1060');
    expect(result.incident?.invalidIndexes).toEqual([
      { name: `${db.name}._events_ghc`, dropped: true },
      { name: `${db.name}._events_gho`, dropped: true },
    ]);
    expect(
      await one(
        db.url,
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_events\\_gh_'",
      ),
    ).toBe(0);
  });
});
