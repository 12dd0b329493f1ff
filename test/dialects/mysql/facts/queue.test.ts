/**
 * The metadata lock queue, measured on the local MariaDB (10.11): an ALTER, even an instant one,
 * waits for every open transaction that has read the table ("Waiting for table metadata lock"),
 * and while it waits, a plain SELECT from a third session waits behind it. Every ALTER's facts
 * say so. https://mariadb.com/kb/en/metadata-locking/ ("… the DDL statement waits, and other
 * statements that need the table wait for the DDL").
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { connectMysql } from '../../../../src/dialects/mysql/connect.js';
import type { MysqlSession } from '../../../../src/dialects/mysql/session.js';
import { describeMysql } from '../support.js';
import { freshTable, openFactsDb, predict, type FactsDb } from './support.js';

describeMysql('MariaDB metadata lock queue, measured', (serverUrl) => {
  let f: FactsDb;
  beforeAll(async () => {
    f = await openFactsDb(serverUrl);
  });
  afterAll(async () => f?.close());
  beforeEach(async () => freshTable(f, { rows: 100 }));

  /** PROCESSLIST state of a session, polled until it shows `state` (or 5 s pass). */
  async function waitForState(monitor: MysqlSession, id: number, state: string): Promise<string | null> {
    let seen: string | null = null;
    for (let i = 0; i < 100; i++) {
      const rows = await monitor.rows<{ state: string | null }>(
        'SELECT STATE AS state FROM information_schema.PROCESSLIST WHERE ID = ?',
        [id],
      );
      seen = rows[0]?.state ?? null;
      if (seen === state) return seen;
      await new Promise((r) => setTimeout(r, 50));
    }
    return seen;
  }

  for (const sql of ['ALTER TABLE t ADD COLUMN d int', 'ALTER TABLE t ADD INDEX t_c (c)']) {
    it(`${sql}: waits behind an open transaction, and a later SELECT waits behind it`, async () => {
      const prediction = await predict(f, sql);
      expect(
        prediction.facts.every((x) => x.notes.some((n) => n.includes('Waiting for table metadata lock'))),
      ).toBe(true);

      const [holder, alterer, reader, monitor] = await Promise.all([
        connectMysql(f.db.url),
        connectMysql(f.db.url),
        connectMysql(f.db.url),
        connectMysql(f.db.url),
      ]);
      try {
        await holder.rows('START TRANSACTION');
        await holder.rows('SELECT id FROM t LIMIT 1');
        await alterer.rows('SET SESSION lock_wait_timeout = 10');
        const altering = alterer.rows(sql);
        expect(await waitForState(monitor, alterer.pid, 'Waiting for table metadata lock')).toBe(
          'Waiting for table metadata lock',
        );
        const reading = reader.rows('SELECT id FROM t LIMIT 1');
        expect(await waitForState(monitor, reader.pid, 'Waiting for table metadata lock')).toBe(
          'Waiting for table metadata lock',
        );
        // Both are still waiting: nothing moves until the transaction ends.
        let settled = false;
        void Promise.allSettled([altering, reading]).then(() => (settled = true));
        await new Promise((r) => setTimeout(r, 300));
        expect(settled).toBe(false);
        await holder.rows('COMMIT');
        await altering;
        expect(await reading).toHaveLength(1);
      } finally {
        await holder.rows('ROLLBACK').catch(() => undefined);
        await Promise.all([holder, alterer, reader, monitor].map((s) => s.close()));
      }
    });
  }
});
