/**
 * A deploy process killed (SIGKILL) in the middle of a step of three DDL statements on
 * MariaDB: the journal says which statements had committed; the statement in flight committed
 * after the process died (the server finished it once its lock came free), which the journal
 * could not hear. Rerunning the same plan resumes at that statement (its inverse first) and
 * runs each statement exactly once; `rollback` instead undoes exactly what ran.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RowDataPacket } from 'mysql2';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Plan } from '../../../src/core/plan.js';
import { DEFAULT_QUERY_TIMEOUT_MS, setNetworkTimeouts } from '../../../src/core/timeouts.js';
import { deploy, type DeployEvent } from '../../../src/deploy/deploy.js';
import { deployLockName } from '../../../src/dialects/mysql/deploy/lock.js';
import { runCli } from '../../support/cli.js';
import {
  columnsOf,
  connection,
  deployOptions,
  journalSteps,
  planOf,
  schemaHash,
  stepOf,
  dropWithJournal,
} from './deploy-support.js';
import { createTempDatabase, describeMysql, type TempDatabase } from './support.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

async function until(what: string, test: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeMysql('deploy on MariaDB: killed mid-step, resumed or rolled back from the journal', (serverUrl) => {
  let db: TempDatabase;
  let plan: Plan;
  const dir = mkdtempSync(join(tmpdir(), 'sp-mysql-crash-'));
  const planFile = join(dir, 'plan.json');

  beforeEach(async () => {
    db = await createTempDatabase(serverUrl, [
      'CREATE TABLE items (id int PRIMARY KEY AUTO_INCREMENT, name varchar(40) NOT NULL) ENGINE=InnoDB',
      'CREATE TABLE stock (id int PRIMARY KEY AUTO_INCREMENT, qty int NOT NULL) ENGINE=InnoDB',
      "INSERT INTO items (name) VALUES ('bolt'), ('nut')",
      'INSERT INTO stock (qty) VALUES (5), (7)',
    ]);
    const add = (table: string, column: string) => `ALTER TABLE ${table} ADD COLUMN ${column} int NULL`;
    const drop = (table: string, column: string) => `ALTER TABLE ${table} DROP COLUMN ${column}`;
    plan = planOf(
      [
        stepOf('expand-1', [add('items', 'a1')], { rollback: [drop('items', 'a1')] }),
        stepOf('expand-2', [add('items', 'b1'), add('stock', 'b2'), add('items', 'b3')], {
          lockTimeoutMs: 60_000,
          rollback: [drop('items', 'b3'), drop('stock', 'b2'), drop('items', 'b1')],
          statementRollback: [[drop('items', 'b1')], [drop('stock', 'b2')], [drop('items', 'b3')]],
        }),
      ],
      await schemaHash(db.url),
    );
    writeFileSync(planFile, JSON.stringify(plan));
  });
  afterEach(async () => {
    await dropWithJournal(serverUrl, db);
  });

  /** Deploy in a child process, kill it while statement 2 of expand-2 waits, let that statement finish. */
  async function crashMidStep(): Promise<void> {
    const holder = await connection(db.url);
    await holder.query('START TRANSACTION');
    await holder.query('SELECT SUM(qty) FROM stock'); // statement 2 (on stock) waits behind this
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'deploy', planFile, '--db', db.url],
      { cwd: root, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } },
    );
    try {
      await until('statement 1 of expand-2 in the journal', async () => {
        const steps = await journalSteps(serverUrl, db.name).catch(() => []);
        return steps[1]?.status === 'running' && steps[1]?.statements_done === 1;
      });
      // Killed only once statement 2 has reached the server and waits there: on a loaded
      // machine the journal's entry can come well before the next ALTER is sent.
      await until('statement 2 waiting on the server', async () => {
        const [rows] = await holder.query<RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE info LIKE 'ALTER TABLE%stock%' AND db = ?",
          [db.name],
        );
        return Number(rows[0]?.['n']) > 0;
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    } finally {
      // The server still runs the orphaned ALTER: it commits as soon as the lock is free.
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const observer = await connection(db.url);
    try {
      // Its connection ends once the server finds the client gone; so does the deploy lock.
      await until('the deploy lock to be released', async () => {
        const [rows] = await observer.query<RowDataPacket[]>('SELECT IS_FREE_LOCK(?) AS free', [
          deployLockName(db.name),
        ]);
        return Number(rows[0]?.['free']) === 1;
      });
    } finally {
      await observer.end();
    }
    expect(await journalSteps(serverUrl, db.name)).toEqual([
      { step_id: 'expand-1', status: 'done', statements_done: 1, backfill: null },
      { step_id: 'expand-2', status: 'running', statements_done: 1, backfill: null },
    ]);
    expect(await columnsOf(db.url, 'stock')).toEqual(['id', 'qty', 'b2']);
  }

  it('the rerun resumes at the statement in flight and runs each statement once', async () => {
    await crashMidStep();
    const status = await runCli(['status', '--db', db.url]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/expand-2\s+running .* · 1 of 3 statements committed$/m);
    expect(status.stdout).toContain('This deploy did not finish');

    const resumed = await runCli(['deploy', planFile, '--db', db.url]);
    expect(resumed.stdout).toMatch(/^deploy \d+ resumed and succeeded: 2 step\(s\)/);
    expect(resumed.code).toBe(0);
    expect(await columnsOf(db.url, 'items')).toEqual(['id', 'name', 'a1', 'b1', 'b3']);
    expect(await columnsOf(db.url, 'stock')).toEqual(['id', 'qty', 'b2']);
    expect((await journalSteps(serverUrl, db.name))[1]).toEqual(
      expect.objectContaining({ status: 'done', statements_done: 3 }),
    );
  }, 90_000);

  it('rollback undoes the statement in flight and those before it, then the earlier step', async () => {
    const before = await schemaHash(db.url);
    await crashMidStep();
    const undone = await runCli(['rollback', '--db', db.url]);
    expect(undone.stdout).toMatch(/^deploy \d+: rolled back expand-2, expand-1$/m);
    expect(undone.code).toBe(0);
    expect(await schemaHash(db.url)).toBe(before);
    expect((await journalSteps(serverUrl, db.name)).map((s) => s.status)).toEqual([
      'rolled back',
      'rolled back',
    ]);
  }, 90_000);

  it('a deploy connection killed by the server: connection lost, journal says running, the rerun resumes', async () => {
    const killer = await connection(db.url);
    let killed = false;
    const onEvent = async (e: DeployEvent) => {
      if (killed || e.type !== 'step-start' || e.step !== 'expand-2') return;
      killed = true;
      await killer.query(`KILL CONNECTION ${e.pid}`);
    };
    try {
      const first = await deploy(deployOptions(db.url, plan, { onEvent }));
      expect(first.incident?.cause).toBe('connection lost');
      expect(first.incident?.error.sqlstate).toMatch(/^(1927|2013)$/);
      expect(first.deploy?.status).toBe('running');
      const steps = await journalSteps(serverUrl, db.name);
      expect(steps.map((x) => x.status)).toEqual(['done', 'running']);
    } finally {
      await killer.end();
    }
    const again = await deploy(deployOptions(db.url, plan));
    expect(again.resumed).toBe(true);
    expect(again.deploy?.status).toBe('succeeded');
    expect(await columnsOf(db.url, 'items')).toEqual(['id', 'name', 'a1', 'b1', 'b3']);
  }, 60_000);

  it('waits past the query deadline while the server still works on the statement', async () => {
    setNetworkTimeouts({ queryTimeoutMs: 300 }); // housekeeping queries give up after 0.8 s
    try {
      const slow = planOf([stepOf('expand-1', ['DO SLEEP(2)'])], await schemaHash(db.url));
      const result = await deploy(deployOptions(db.url, slow));
      expect(result.incident).toBeNull();
      expect(result.deploy?.status).toBe('succeeded');
      expect(result.deploy?.steps[0]?.attempts[0]?.durationMs).toBeGreaterThanOrEqual(2_000);
    } finally {
      setNetworkTimeouts({ queryTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS });
    }
  }, 60_000);
});
