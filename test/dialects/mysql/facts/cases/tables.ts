/**
 * Whole-table statements on InnoDB, and what a FULLTEXT index changes, measured on the local
 * MariaDB (10.11) while another session writes, and predicted by mysqlFacts (support.ts).
 * INPLACE page ("ENGINE=InnoDB", "FORCE", "OPTIMIZE TABLE", "ROW_FORMAT"):
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/
 */
import { beforeAll, describe, beforeEach, expect, it } from 'vitest';
import { expectCase, freshTable, predict, trace, type FactsDb } from '../support.js';
import { COPY, INSTANT, REBUILD, RETRY, type SharedFactsDb } from '../support.js';

export function tableCases(shared: SharedFactsDb): void {
  describe('MariaDB table facts, measured', { retry: RETRY }, () => {
    let f: FactsDb;
    beforeAll(() => {
      f = shared.get();
    });
    beforeEach(async () => freshTable(f));

    const REBUILD_SHARED = { ...REBUILD, writers: true, mdl: 'SHARED_NO_WRITE' } as const;
    // 12,000 rows for these: a rebuild of 4,000 can be over before the probe sees it wait.
    const FULLTEXT = ['ALTER TABLE t ADD FULLTEXT INDEX t_body (body)'];

    it('ENGINE=InnoDB and OPTIMIZE TABLE rebuild in place, writers go on', async () => {
      await expectCase(f, 'ALTER TABLE t ENGINE=InnoDB', REBUILD);
      // OPTIMIZE opens the table with SHARED_NO_WRITE for a moment, then recreates it online
      // ("Table does not support optimize, doing recreate + analyze instead"): writers go on.
      const { prediction } = await expectCase(f, 'OPTIMIZE TABLE t', {
        ...REBUILD,
        briefly: 'SHARED_NO_WRITE',
      });
      expect(prediction.facts[0]?.notes.join(' ')).toMatch(/SHARED_NO_WRITE for a moment/);
    });
    it('ROW_FORMAT=COMPACT rebuilds in place', () =>
      expectCase(f, 'ALTER TABLE t ROW_FORMAT=COMPACT', REBUILD));
    it('COMMENT, AUTO_INCREMENT and DEFAULT CHARSET change the definition only', async () => {
      await expectCase(f, "ALTER TABLE t COMMENT = 'people'", INSTANT);
      await expectCase(f, 'ALTER TABLE t AUTO_INCREMENT = 100000', INSTANT);
      await expectCase(f, 'ALTER TABLE t DEFAULT CHARSET = latin1', INSTANT);
    });
    it('CONVERT TO CHARACTER SET utf8mb4 copies when a column really changes (latin1 v2)', () =>
      expectCase(f, 'ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4', COPY));
    it('CONVERT TO CHARACTER SET utf8mb4 of utf8mb3 VARCHARs is instant while each length prefix fits', async () => {
      const utf8mb3 = (body: number) => `CREATE TABLE t (id int PRIMARY KEY AUTO_INCREMENT, c int,
      n int NOT NULL DEFAULT 0, v varchar(50), v2 varchar(60), s31 varchar(31), s32 varchar(32), e varchar(1),
      body varchar(${body}), pid int, filler varchar(1000)) DEFAULT CHARSET=utf8mb3`;
      // Every column: 150 → 200, 180 → 240 … bytes, or past 255 already (filler 3000 → 4000).
      await freshTable(f, { ddl: utf8mb3(100) });
      await expectCase(f, 'ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4', INSTANT, {
        label: 'InnoDB, utf8mb3',
      });
      // body varchar(70): 210 → 280 bytes crosses 255 from above 127: a copy.
      await freshTable(f, { ddl: utf8mb3(70) });
      const { prediction } = await expectCase(f, 'ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4', COPY, {
        label: 'InnoDB, utf8mb3',
      });
      expect(prediction.facts[0]?.notes.join(' ')).toMatch(/converts body varchar utf8mb3/);
    });
    it('RENAME TABLE and ALTER TABLE … RENAME TO hold EXCLUSIVE on both names, instantly', async () => {
      const renamed = `${f.db.name}.t_new`;
      const p = await predict(f, 'RENAME TABLE t TO t_new');
      const t = await trace(f, 'RENAME TABLE t TO t_new', { read: null });
      expect(p.algorithm).toBe('INSTANT');
      expect(p.locks).toEqual([
        { table: `${f.db.name}.t`, mode: 'EXCLUSIVE' },
        { table: renamed, mode: 'EXCLUSIVE' },
      ]);
      if (f.locksReadable) expect(t.locks).toContainEqual({ table: renamed, mode: 'EXCLUSIVE' });
      expect(t.affectedRows).toBe(0);
    });
    it('TRUNCATE empties the table under EXCLUSIVE; DROP TABLE holds EXCLUSIVE', async () => {
      const p = await predict(f, 'TRUNCATE TABLE t');
      const t = await trace(f, 'TRUNCATE TABLE t');
      // InnoDB TRUNCATE drops and recreates the table: a new table id, no row copied.
      expect(t.rebuilt).toBe(true);
      expect(t.affectedRows).toBe(0);
      if (f.locksReadable) expect(t.locks).toContainEqual({ table: `${f.db.name}.t`, mode: 'EXCLUSIVE' });
      expect(p.facts[0]).toMatchObject({ emptiesTable: true, rewritesTable: false, transactional: false });
      expect(p.locks).toEqual([{ table: `${f.db.name}.t`, mode: 'EXCLUSIVE' }]);
      const d = await predict(f, 'DROP TABLE t');
      const dt = await trace(f, 'DROP TABLE t', { read: null });
      if (f.locksReadable) expect(dt.locks).toContainEqual({ table: `${f.db.name}.t`, mode: 'EXCLUSIVE' });
      expect(d.locks).toEqual([{ table: `${f.db.name}.t`, mode: 'EXCLUSIVE' }]);
    });

    // With a FULLTEXT index InnoDB has a hidden FTS_DOC_ID column: instant ADD/DROP COLUMN is
    // off (INSTANT page: "If the table has a hidden FTS_DOC_ID column, this is not supported")
    // and every in-place rebuild needs LOCK=SHARED ("Fulltext index creation requires a lock").
    it('with a FULLTEXT index, ADD COLUMN rebuilds with LOCK=SHARED: writers wait', async () => {
      await freshTable(f, { rows: 12_000, after: FULLTEXT });
      const { prediction } = await expectCase(f, 'ALTER TABLE t ADD COLUMN d int', REBUILD_SHARED, {
        label: 'InnoDB, FULLTEXT',
      });
      expect(prediction.facts[0]?.notes.join(' ')).toMatch(/FULLTEXT/);
    });
    it('with a FULLTEXT index, DROP COLUMN and ENGINE=InnoDB rebuild with LOCK=SHARED', async () => {
      await freshTable(f, { rows: 12_000, after: FULLTEXT });
      await expectCase(f, 'ALTER TABLE t DROP COLUMN c', REBUILD_SHARED, { label: 'InnoDB, FULLTEXT' });
      await expectCase(f, 'ALTER TABLE t ENGINE=InnoDB', REBUILD_SHARED, { label: 'InnoDB, FULLTEXT' });
    });
    it('with a FULLTEXT index, RENAME COLUMN, SET DEFAULT and ADD INDEX are unaffected', async () => {
      await freshTable(f, { rows: 12_000, after: FULLTEXT });
      await expectCase(f, 'ALTER TABLE t RENAME COLUMN c TO c2', INSTANT, { label: 'InnoDB, FULLTEXT' });
      await expectCase(f, 'ALTER TABLE t ALTER COLUMN n SET DEFAULT 3', INSTANT, {
        label: 'InnoDB, FULLTEXT',
      });
      await expectCase(
        f,
        'ALTER TABLE t ADD INDEX t_n (n)',
        {
          ...INSTANT,
          algorithm: 'NOCOPY',
          mdl: 'SHARED_UPGRADABLE',
        },
        { label: 'InnoDB, FULLTEXT' },
      );
    });
  });
}
