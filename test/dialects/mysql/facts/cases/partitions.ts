/**
 * Partitioned InnoDB tables on the local MariaDB (10.11): column and index changes behave as on
 * a plain table (each partition is an InnoDB table; an index is built once per partition);
 * partition management takes its own locks. Pages:
 * https://mariadb.com/kb/en/partitioning-overview/ and
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCase, freshTable, predict, TABLE, trace, type FactsDb } from '../support.js';
import { COPY, INSTANT, RETRY, type SharedFactsDb } from '../support.js';

const HASH = `${TABLE} PARTITION BY HASH (id) PARTITIONS 4`;
const RANGE = `${TABLE} PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (1000),
  PARTITION p1 VALUES LESS THAN (2000), PARTITION p2 VALUES LESS THAN (3000), PARTITION p3 VALUES LESS THAN MAXVALUE)`;
// Rows beyond the existing ids, so the writer never collides with them.
const WRITE = 'INSERT INTO t (id, c) VALUES (FLOOR(RAND() * 1e9) + 100000, 1)';

export function partitionCases(shared: SharedFactsDb): void {
  describe('MariaDB facts on partitioned tables, measured', { retry: RETRY }, () => {
    let f: FactsDb;
    beforeAll(() => {
      f = shared.get();
    });

    const label = 'partitioned';

    it('ADD/DROP/RENAME COLUMN are instant, ADD INDEX builds one per partition, a type change copies', async () => {
      await freshTable(f, { ddl: HASH, rows: 6000 });
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d int', INSTANT, { label });
      await expectCase(f, 'ALTER TABLE t DROP COLUMN d', INSTANT, { label });
      await expectCase(f, 'ALTER TABLE t RENAME COLUMN c TO c2', INSTANT, { label });
      const { trace: t } = await expectCase(
        f,
        'ALTER TABLE t ADD INDEX t_n (n)',
        { ...INSTANT, algorithm: 'NOCOPY', mdl: 'SHARED_UPGRADABLE' },
        { label },
      );
      expect(t.indexesBuilt).toBe(4);
      await expectCase(f, 'ALTER TABLE t MODIFY c2 bigint', COPY, { label });
    });
    it('ENGINE=InnoDB rebuilds every partition in place; DEFAULT (uuid()) copies', async () => {
      await freshTable(f, { ddl: HASH, rows: 6000 });
      await expectCase(
        f,
        'ALTER TABLE t ENGINE=InnoDB',
        { algorithm: 'INPLACE', rebuilt: true, writers: false, mdl: 'SHARED_UPGRADABLE' },
        { label },
      );
      await expectCase(f, 'ALTER TABLE t ADD COLUMN token char(36) DEFAULT (uuid())', COPY, { label });
    });
    it('HASH: ADD PARTITION and COALESCE PARTITION move rows: a copy', async () => {
      await freshTable(f, { ddl: HASH, rows: 6000 });
      await expectCase(f, 'ALTER TABLE t ADD PARTITION PARTITIONS 2', COPY, { label, write: WRITE });
      await expectCase(f, 'ALTER TABLE t COALESCE PARTITION 2', COPY, { label, write: WRITE });
    });
    it('RANGE: REORGANIZE PARTITION copies the rows it moves', async () => {
      // p3 holds 9,000 of the 12,000 rows: enough to copy for the probe to see.
      await freshTable(f, { ddl: RANGE, rows: 12_000 });
      await expectCase(
        f,
        'ALTER TABLE t REORGANIZE PARTITION p3 INTO (PARTITION p3 VALUES LESS THAN (3500), PARTITION p4 VALUES LESS THAN MAXVALUE)',
        COPY,
        { label, write: WRITE },
      );
    });
    it('RANGE: DROP and TRUNCATE PARTITION discard rows while readers and writers wait', async () => {
      // The trace's algorithm reads table ids; a partition operation changes partitions' ids
      // without rebuilding the table, so it is checked by hand here.
      await freshTable(f, { ddl: RANGE });
      for (const sql of ['ALTER TABLE t DROP PARTITION p0', 'ALTER TABLE t TRUNCATE PARTITION p1']) {
        const p = await predict(f, sql);
        const t = await trace(f, sql, { write: WRITE });
        expect(p).toMatchObject({ rewritesTable: false, blocksWrites: true, blocksReads: true });
        expect(p.locks).toEqual([{ table: `${f.db.name}.t`, mode: 'EXCLUSIVE' }]);
        if (f.locksReadable) expect(t.locks).toContainEqual({ table: `${f.db.name}.t`, mode: 'EXCLUSIVE' });
        expect(t.affectedRows).toBe(0);
      }
      const rows = await f.session.rows<{ n: number }>('SELECT COUNT(*) AS n FROM t WHERE id < 2000');
      expect(Number(rows[0]?.n)).toBe(0);
    });
    it('RANGE: ADD PARTITION adds an empty one, nothing copied', async () => {
      await freshTable(f, {
        ddl: RANGE.replace('p3 VALUES LESS THAN MAXVALUE', 'p3 VALUES LESS THAN (5000)'),
      });
      const sql = 'ALTER TABLE t ADD PARTITION (PARTITION p9 VALUES LESS THAN (9000))';
      const p = await predict(f, sql);
      const t = await trace(f, sql, {
        write: 'INSERT INTO t (id, c) VALUES (FLOOR(RAND() * 999) + 1, 1) ON DUPLICATE KEY UPDATE c = c + 1',
      });
      expect(p).toMatchObject({ algorithm: 'INPLACE', rewritesTable: false, blocksReads: true });
      expect(t.affectedRows).toBe(0);
      if (f.locksReadable) expect(t.locks).toContainEqual({ table: `${f.db.name}.t`, mode: 'EXCLUSIVE' });
    });
  });
}
