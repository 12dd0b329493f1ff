/**
 * The watchdog and the retries on MariaDB, with a transaction that read the table and stays
 * open (the classic metadata lock outage): our ALTER waits to upgrade its lock, the
 * application's SELECTs queue behind it; the watchdog cancels it (KILL QUERY) so they go on,
 * and the step is retried later, then reported with who blocked and who waited. Without
 * waiters, the lock wait times out (1205) and is retried on the plan's retry codes.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { deploy, type DeployEvent } from '../../../src/deploy/deploy.js';
import { mysqlIncidentWords } from '../../../src/dialects/mysql/deploy/incident.js';
import { renderIncidentMarkdown, renderIncidentText } from '../../../src/reporters/incident/index.js';
import { runCli } from '../../support/cli.js';
import {
  columnsOf,
  connection,
  deployOptions,
  planOf,
  schemaHash,
  stepOf,
  dropWithJournal,
} from './deploy-support.js';
import { createTempDatabase, describeMysql, type TempDatabase } from './support.js';

describeMysql('deploy on MariaDB: watchdog and retries behind an open transaction', (serverUrl) => {
  let db: TempDatabase;
  let holder: Connection;
  beforeAll(async () => {
    db = await createTempDatabase(serverUrl, [
      'CREATE TABLE orders (id int PRIMARY KEY AUTO_INCREMENT, total int NOT NULL) ENGINE=InnoDB',
      'INSERT INTO orders (total) VALUES (10), (20), (30)',
    ]);
  });
  afterAll(async () => {
    await dropWithJournal(serverUrl, db);
  });
  beforeEach(async () => {
    // A report job's transaction: it read the table and keeps its metadata lock until it ends.
    holder = await connection(db.url);
    await holder.query('START TRANSACTION');
    await holder.query('SELECT SUM(total) FROM orders');
  });
  afterEach(async () => {
    await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end();
  });

  it('cancels our ALTER when SELECTs queue behind it, retries, then reports who blocked and who waited', async () => {
    const app = await connection(db.url);
    const waits: Promise<number>[] = [];
    // Each attempt: an application SELECT arrives while our ALTER waits for its lock.
    const onEvent = (e: DeployEvent) => {
      if (e.type !== 'step-start') return;
      waits.push(
        new Promise<number>((resolve, reject) =>
          setTimeout(() => {
            const started = Date.now();
            app.query('SELECT COUNT(*) FROM orders').then(() => resolve(Date.now() - started), reject);
          }, 150),
        ),
      );
    };
    try {
      const plan = planOf(
        [
          stepOf('expand-1', ['ALTER TABLE orders ADD COLUMN coupon varchar(20) NULL'], {
            lockTimeoutMs: 10_000,
            rollback: ['ALTER TABLE orders DROP COLUMN coupon'],
          }),
        ],
        await schemaHash(db.url),
      );
      const result = await deploy(deployOptions(db.url, plan, { maxBlockingMs: 300, onEvent }));
      const queued = await Promise.all(waits);
      expect(queued).toHaveLength(3);
      // Released when the watchdog cancelled us, long before lock_wait_timeout (10 s).
      for (const ms of queued) expect(ms).toBeLessThan(3_000);

      const incident = result.incident;
      expect(incident?.cause).toBe('blocking others');
      expect(incident?.error.sqlstate).toBe('1317');
      const attempts = incident?.failedStep.attempts ?? [];
      expect(attempts.map((a) => a.cause)).toEqual(['blocking others', 'blocking others', 'blocking others']);
      for (const a of attempts) {
        expect(a.blockers.map((s) => s.pid)).toContain(holder.threadId);
        expect(a.blocked.map((s) => s.pid)).toContain(app.threadId);
      }
      const blocker = attempts[0]?.blockers.find((s) => s.pid === holder.threadId);
      expect(blocker?.state).toBe('Sleep, in a transaction');
      // INNODB_TRX.trx_started has whole seconds: a transaction this young is 0 ms old or 1 s.
      expect(blocker?.transactionAgeMs).not.toBeNull();
      expect(attempts[0]?.blocked.find((s) => s.pid === app.threadId)?.waitEvent).toBe(
        'Waiting for table metadata lock',
      );
      expect(await columnsOf(db.url, 'orders')).toEqual(['id', 'total']);
      expect(result.deploy?.status).toBe('rolled back');

      const md = renderIncidentMarkdown(incident!, plan, mysqlIncidentWords);
      expect(md).toContain('`1317` ER_QUERY_INTERRUPTED (KILL QUERY)');
      expect(md).toContain(`Sessions ${app.threadId}`);
    } finally {
      await app.end();
    }
  }, 60_000);

  it('retries a lock wait timeout (1205) on the plan retry codes, then names the blocker and how to end it', async () => {
    const plan = planOf(
      [stepOf('expand-1', ['ALTER TABLE orders ADD COLUMN note text NULL'], { lockTimeoutMs: 1_000 })],
      await schemaHash(db.url),
    );
    const retries: DeployEvent[] = [];
    const result = await deploy(
      deployOptions(db.url, plan, { onEvent: (e) => void (e.type === 'step-retry' && retries.push(e)) }),
    );
    expect(retries).toEqual([
      expect.objectContaining({ attempt: 2, cause: 'lock timeout', sqlstate: '1205' }),
      expect.objectContaining({ attempt: 3, cause: 'lock timeout', sqlstate: '1205' }),
    ]);
    const incident = result.incident!;
    expect(incident.cause).toBe('lock timeout');
    expect(incident.error.message).toMatch(/Lock wait timeout exceeded/);
    expect(incident.failedStep.attempts.at(-1)?.blockers.map((s) => s.pid)).toContain(holder.threadId);
    const text = renderIncidentText(incident, plan, undefined, mysqlIncidentWords);
    expect(text).toContain('error 1205 (ER_LOCK_WAIT_TIMEOUT)');
    expect(text).toContain(`KILL ${holder.threadId}`);
    expect(text).toContain('could not get the lock within lock_wait_timeout (1.0 s)');

    // Once the transaction ends, the same plan deploys (the failed deploy was closed).
    await holder.query('ROLLBACK');
    const again = await deploy(deployOptions(db.url, plan));
    expect(again.deploy?.status).toBe('succeeded');
    expect(await columnsOf(db.url, 'orders')).toEqual(['id', 'total', 'note']);
  }, 60_000);

  it('writes the incident report with MySQL words through the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-mysql-incident-'));
    const result = await runCli([
      'deploy',
      '--change',
      'ALTER TABLE orders ADD COLUMN channel varchar(10) NULL',
      '--db',
      db.url,
      '--skip-validate',
      '--incident-dir',
      dir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`KILL ${holder.threadId}`);
    const file = /Incident report: (\S+\.md)/.exec(result.stdout)?.[1] ?? '';
    const markdown = readFileSync(file, 'utf8');
    expect(markdown).toContain('`1205` ER_LOCK_WAIT_TIMEOUT');
    expect(markdown).toContain('FROM information_schema.METADATA_LOCK_INFO m');
    expect(markdown).not.toContain('pg_');
  }, 60_000);
});
