/**
 * The watchdog's probes and deploy's error classes on MariaDB, each against what the server
 * really does: who blocks our ALTER and who queues behind it (and not the sessions of an
 * unrelated outage on a same-named table in another database), KILL QUERY and its 1317, lock
 * wait timeouts (1205) and deadlocks (1213) on rows, a killed connection.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMysql } from '../../../src/dialects/mysql/connect.js';
import { mysqlDeployErrors } from '../../../src/dialects/mysql/deploy/errors.js';
import { mentionsTable, statementTable } from '../../../src/dialects/mysql/deploy/mdl.js';
import { mysqlProbes } from '../../../src/dialects/mysql/deploy/probes.js';
import { MysqlConnectionStuck } from '../../../src/dialects/mysql/session.js';
import { connection, dropWithJournal } from './deploy-support.js';
import { createTempDatabase, describeMysql, type TempDatabase } from './support.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the table a statement works on, and whether a query names it', () => {
  it('reads the target of DDL and UPDATE, quoted or not, qualified or not', () => {
    expect(statementTable('ALTER TABLE `shop`.`order items` ADD COLUMN x int', 'db')).toEqual({
      schema: 'shop',
      name: 'order items',
    });
    expect(statementTable('alter online ignore table t add index (a)', 'db')).toEqual({
      schema: 'db',
      name: 't',
    });
    expect(statementTable('CREATE UNIQUE INDEX i ON shop.t (a)', 'db')).toEqual({
      schema: 'shop',
      name: 't',
    });
    expect(statementTable('DROP INDEX i ON `t`', 'db')).toEqual({ schema: 'db', name: 't' });
    expect(statementTable('RENAME TABLE t TO t2', 'db')).toEqual({ schema: 'db', name: 't' });
    expect(statementTable('UPDATE low_priority t SET a = 1', 'db')).toEqual({ schema: 'db', name: 't' });
    expect(statementTable('SELECT * FROM t', 'db')).toBeNull();
    expect(statementTable('ALTER TABLE t ADD COLUMN x int', null)).toBeNull();
  });

  it('matches a table named in its own database or qualified, not a same-named one elsewhere', () => {
    expect(mentionsTable('SELECT * FROM t WHERE a = 1', 'db', 'db', 't')).toBe(true);
    expect(mentionsTable('SELECT * FROM `db`.`t`', 'other', 'db', 't')).toBe(true);
    expect(mentionsTable('SELECT * FROM db . t', 'other', 'db', 't')).toBe(true);
    expect(mentionsTable('SELECT * FROM t', 'other', 'db', 't')).toBe(false);
    expect(mentionsTable('SELECT * FROM other.t', 'db', 'db', 't')).toBe(false);
    expect(mentionsTable('SELECT * FROM tt JOIN t_old USING (id)', 'db', 'db', 't')).toBe(false);
  });
});

describeMysql('probes and error classes on MariaDB', (serverUrl) => {
  let a: TempDatabase;
  let b: TempDatabase;
  const open: Connection[] = [];
  const conn = async (url: string) => {
    const c = await connection(url);
    open.push(c);
    return c;
  };
  beforeAll(async () => {
    const table = [
      'CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL) ENGINE=InnoDB',
      'INSERT INTO t VALUES (1, 1), (2, 2)',
    ];
    a = await createTempDatabase(serverUrl, table);
    b = await createTempDatabase(serverUrl, table);
  });
  afterAll(async () => {
    for (const c of open) await c.end().catch(() => undefined);
    await dropWithJournal(serverUrl, a);
    await dropWithJournal(serverUrl, b);
  });

  it('sees who blocks our ALTER and who waits behind it; KILL QUERY ends it with 1317 and frees them', async () => {
    const holder = await conn(a.url);
    await holder.query('START TRANSACTION');
    await holder.query('SELECT * FROM t');
    // An unrelated outage on b.t: neither its holder nor its waiters are ours.
    const otherHolder = await conn(b.url);
    await otherHolder.query('LOCK TABLES t WRITE');
    const otherWaiter = await conn(b.url);
    const otherWait = otherWaiter.query('SELECT * FROM t').catch(() => undefined);

    const ours = await connectMysql(a.url);
    const observer = await connectMysql(a.url);
    try {
      const alter = ours.rows('ALTER TABLE t ADD COLUMN w int').then(
        () => null,
        (error: unknown) => error,
      );
      await pause(200);
      const waiter = await conn(a.url);
      const crossDatabase = await conn(b.url);
      const waits = Promise.all([
        waiter.query('SELECT COUNT(*) FROM t'),
        crossDatabase.query(`SELECT COUNT(*) FROM \`${a.name}\`.t`),
      ]);
      await pause(300);
      const seen = await mysqlProbes.sample(observer, ours.pid);
      expect(seen.blockers.map((s) => s.pid)).toEqual([holder.threadId]);
      expect(seen.blockers[0]?.state).toBe('Sleep, in a transaction');
      expect(seen.waiting.map((w) => w.session.pid).sort()).toEqual(
        [waiter.threadId, crossDatabase.threadId].sort(),
      );
      for (const w of seen.waiting) expect(w.waitedMs).toBeGreaterThan(100);
      expect(await mysqlProbes.isWorking(observer, ours.pid)).toBe(true);

      await mysqlProbes.cancel(observer, ours.pid);
      const error = await alter;
      expect(mysqlDeployErrors.code(error)).toBe('1317');
      expect(mysqlDeployErrors.kind(error)).toBe('cancelled');
      expect(mysqlDeployErrors.isConnectionError(error)).toBe(false);
      await waits; // released by the cancel, though the holder's transaction is still open
    } finally {
      await otherHolder.query('UNLOCK TABLES');
      await otherWait;
      await ours.close();
      await observer.close();
      await holder.query('ROLLBACK');
    }
  });

  it('sees sessions waiting on the row locks our open transaction holds, and who holds rows we wait for', async () => {
    const ours = await connectMysql(a.url);
    const observer = await connectMysql(a.url);
    const app = await conn(a.url);
    const owner = await conn(a.url);
    try {
      await ours.rows('START TRANSACTION');
      await ours.rows('UPDATE t SET v = v + 1 WHERE id = 1'); // then idle, holding the row, like a batch
      const write = app.query('UPDATE t SET v = v + 10 WHERE id = 1');
      await pause(1_200); // sys.innodb_lock_waits counts whole seconds
      const seen = await mysqlProbes.sample(observer, ours.pid);
      expect(seen.waiting.map((w) => w.session.pid)).toEqual([app.threadId]);
      expect(seen.waiting[0]?.waitedMs).toBeGreaterThanOrEqual(1_000);
      await ours.rows('COMMIT');
      await write;

      await owner.query('START TRANSACTION');
      await owner.query('UPDATE t SET v = v + 1 WHERE id = 2');
      await ours.rows('SET SESSION innodb_lock_wait_timeout = 5');
      const blocked = ours.rows('UPDATE t SET v = v + 1 WHERE id = 2').catch(() => undefined);
      await pause(300);
      const waitingForRow = await mysqlProbes.sample(observer, ours.pid);
      expect(waitingForRow.blockers.map((b) => b.pid)).toEqual([owner.threadId]);
      await owner.query('ROLLBACK');
      await blocked;
    } finally {
      await ours.close();
      await observer.close();
    }
  });

  it('classes row lock wait timeouts, deadlocks and lost connections', async () => {
    const one = await conn(a.url);
    const two = await conn(a.url);
    for (const c of [one, two]) await c.query('SET SESSION innodb_lock_wait_timeout = 1');
    await one.query('START TRANSACTION');
    await one.query('UPDATE t SET v = v + 1 WHERE id = 1');
    await two.query('START TRANSACTION');
    const timeout = await two.query('UPDATE t SET v = v + 1 WHERE id = 1').catch((e: unknown) => e);
    expect(mysqlDeployErrors.kind(timeout)).toBe('lock timeout');
    expect(mysqlDeployErrors.code(timeout)).toBe('1205');

    await two.query('UPDATE t SET v = v + 1 WHERE id = 2');
    const first = one.query('UPDATE t SET v = v + 1 WHERE id = 2').catch((e: unknown) => e);
    await pause(100);
    const second = await two.query('UPDATE t SET v = v + 1 WHERE id = 1').catch((e: unknown) => e);
    const victim = [await first, second].find((e) => e instanceof Error);
    expect(mysqlDeployErrors.kind(victim)).toBe('deadlock');
    expect(mysqlDeployErrors.code(victim)).toBe('1213');
    for (const c of [one, two]) await c.query('ROLLBACK');

    const doomed = await connectMysql(a.url);
    await one.query(`KILL CONNECTION ${doomed.pid}`);
    const lost = await doomed.rows('SELECT 1').catch((e: unknown) => e);
    expect(mysqlDeployErrors.isConnectionError(lost)).toBe(true);
    await doomed.close();
    expect(mysqlDeployErrors.isConnectionError(new MysqlConnectionStuck('stuck'))).toBe(true);
  });

  it('identifies our connection by id and server start, and terminate ends only that one', async () => {
    const victim = await connectMysql(a.url);
    const observer = await connectMysql(a.url);
    try {
      const me = await mysqlProbes.identify(victim);
      expect(me.pid).toBe(victim.pid);
      const [uptime] = await observer.rows<RowDataPacket>("SHOW GLOBAL STATUS LIKE 'Uptime'");
      expect(Math.abs(Date.now() / 1000 - Number(uptime?.['Value']) - Number(me.started))).toBeLessThan(5);
      // A start time from another server life: not ours, left alone.
      await mysqlProbes.terminate(observer, victim.pid, String(Number(me.started) - 3600));
      expect(await victim.rows('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      await mysqlProbes.terminate(observer, victim.pid, me.started);
      const gone = await observer.rows('SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ?', [
        victim.pid,
      ]);
      expect(gone).toEqual([]);
    } finally {
      await victim.close();
      await observer.close();
    }
  });
});
