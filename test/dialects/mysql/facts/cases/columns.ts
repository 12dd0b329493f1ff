/**
 * Column changes on InnoDB, measured on the local MariaDB (10.11) while another session writes,
 * and predicted by mysqlFacts for the same SQL (support.ts). Pages the answers follow (the
 * server wins where they differ, and the test says so):
 * INSTANT  https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/
 * INPLACE  https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/
 */
import { beforeAll, describe, beforeEach, expect, it } from 'vitest';
import { expectCase, freshTable, ROWS, type FactsDb } from '../support.js';
import { COPY, INSTANT, REBUILD, RETRY, type SharedFactsDb } from '../support.js';

export function columnCases(shared: SharedFactsDb): void {
  describe('MariaDB column facts, measured', { retry: RETRY }, () => {
    let f: FactsDb;
    beforeAll(() => {
      f = shared.get();
    });
    beforeEach(async () => freshTable(f));

    // INSTANT page, "ALTER TABLE … ADD COLUMN": any position since 10.4.
    it('ADD COLUMN nullable is instant', () => expectCase(f, 'ALTER TABLE t ADD COLUMN d int', INSTANT));
    it('ADD COLUMN with a constant default is instant', () =>
      expectCase(f, 'ALTER TABLE t ADD COLUMN d int DEFAULT 5', INSTANT));
    it('ADD COLUMN NOT NULL without a default is instant (rows get 0)', async () => {
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d int NOT NULL', INSTANT, {
        write: 'INSERT INTO t (d) VALUES (1)',
      });
      const rows = await f.session.rows<{ d: number }>('SELECT DISTINCT d FROM t WHERE id <= 10');
      expect(rows).toEqual([{ d: 0 }]);
    });
    it('ADD COLUMN FIRST and AFTER are instant', async () => {
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d int FIRST', INSTANT);
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d2 int AFTER c', INSTANT);
    });
    it('ADD COLUMN DEFAULT (uuid()) copies the table and blocks writers', async () => {
      // Each row needs its own value: neither INSTANT nor INPLACE can give it (cases/options.ts
      // measures the refusals).
      const { prediction } = await expectCase(
        f,
        'ALTER TABLE t ADD COLUMN token char(36) DEFAULT (uuid())',
        COPY,
      );
      expect(prediction.facts[0]?.notes.join(' ')).toMatch(/uuid\(\) gives each row its own default/);
    });
    it('ADD COLUMN DEFAULT (rand()) is instant: every row gets the same value', async () => {
      // A surprise: rand() is evaluated once for the ALTER, not per row.
      await expectCase(f, 'ALTER TABLE t ADD COLUMN r double DEFAULT (rand())', INSTANT);
      // Rows the writer inserted during the ALTER get their own value: only the old ones count.
      const rows = await f.session.rows<{ n: number }>(
        `SELECT COUNT(DISTINCT r) AS n FROM t WHERE id <= ${ROWS}`,
      );
      expect(Number(rows[0]?.n)).toBe(1);
    });
    it('ADD COLUMN DEFAULT (now()) is instant', () =>
      expectCase(f, 'ALTER TABLE t ADD COLUMN ts datetime DEFAULT now()', INSTANT));
    it('ADD COLUMN AUTO_INCREMENT rebuilds with LOCK=SHARED: writers wait', async () => {
      await freshTable(f, {
        rows: 20_000,
        ddl: "CREATE TABLE t (id int NOT NULL PRIMARY KEY, c int, n int NOT NULL DEFAULT 0, v varchar(50), v2 varchar(60) CHARACTER SET latin1, s31 varchar(31), s32 varchar(32), e enum('a','b','c'), body text, pid int, filler varchar(1000))",
      });
      await expectCase(
        f,
        'ALTER TABLE t ADD COLUMN seq bigint AUTO_INCREMENT UNIQUE',
        { ...REBUILD, writers: true, mdl: 'SHARED_NO_WRITE' },
        {
          write: 'INSERT INTO t (id) VALUES (FLOOR(RAND() * 1e9) + 100000)',
        },
      );
    });
    it('ADD COLUMN … STORED copies, VIRTUAL is instant', async () => {
      await expectCase(f, 'ALTER TABLE t ADD COLUMN g int AS (c + 1) STORED', COPY);
      await freshTable(f);
      await expectCase(f, 'ALTER TABLE t ADD COLUMN g int AS (c + 1) VIRTUAL', INSTANT);
    });
    it('DROP COLUMN is instant', () => expectCase(f, 'ALTER TABLE t DROP COLUMN c', INSTANT));
    it('RENAME COLUMN and CHANGE with a new name only are instant', async () => {
      await expectCase(f, 'ALTER TABLE t RENAME COLUMN c TO c2', INSTANT);
      const { prediction } = await expectCase(f, 'ALTER TABLE t CHANGE c2 c3 int', INSTANT);
      // CHANGE restates the column: the type, NULL and default parts are no-ops.
      expect(prediction.changes.map((c) => c.kind)).toEqual([
        'rename column',
        'alter column type',
        'drop not null',
        'drop default',
      ]);
    });
    it('MODIFY int → bigint copies', () => expectCase(f, 'ALTER TABLE t MODIFY c bigint', COPY));
    it('CHANGE with a new name and a new type copies', () =>
      expectCase(f, 'ALTER TABLE t CHANGE c c2 bigint', COPY));
    it('MODIFY int → int unsigned copies', () => expectCase(f, 'ALTER TABLE t MODIFY c int unsigned', COPY));
    it('MODIFY varchar widened within 255 bytes is instant (utf8mb4 50 → 60 chars = 240 bytes)', () =>
      expectCase(f, 'ALTER TABLE t MODIFY v varchar(60)', INSTANT));
    it('MODIFY varchar widened past 255 bytes from more than 127 copies (utf8mb4 50 → 100)', () =>
      expectCase(f, 'ALTER TABLE t MODIFY v varchar(100)', COPY));
    it('MODIFY varchar widened past 255 bytes from at most 127 is instant (utf8mb4 31 → 100, latin1 60 → 300)', async () => {
      // Values under 128 bytes keep a 1-byte length either way; the KB only says "increasing
      // the length": the 127-byte edge is measured (32 chars = 128 bytes copies, next case).
      await expectCase(f, 'ALTER TABLE t MODIFY s31 varchar(100)', INSTANT);
      await expectCase(f, 'ALTER TABLE t MODIFY v2 varchar(300) CHARACTER SET latin1', INSTANT);
      await expectCase(f, 'ALTER TABLE t MODIFY s32 varchar(100)', COPY);
    });
    it('MODIFY varchar shrunk copies and may reject values', async () => {
      const { prediction } = await expectCase(f, 'ALTER TABLE t MODIFY v varchar(40)', COPY);
      expect(prediction.facts[0]?.rejectsExistingValues).toBe(true);
    });
    it('MODIFY without CHARACTER SET moves a latin1 column to the table default: a copy', () =>
      expectCase(f, 'ALTER TABLE t MODIFY v2 varchar(60)', COPY));
    it('MODIFY enum: a value added at the end is instant, in the middle copies', async () => {
      await expectCase(f, "ALTER TABLE t MODIFY e enum('a','b','c','d')", INSTANT);
      await expectCase(f, "ALTER TABLE t MODIFY e enum('a','x','b','c','d')", COPY);
    });
    it('MODIFY … COLLATE on an unindexed column is instant', () =>
      expectCase(f, 'ALTER TABLE t MODIFY v varchar(50) COLLATE utf8mb4_bin', INSTANT));
    it('NULL → NOT NULL rebuilds in place, writers go on', async () => {
      await f.session.rows('UPDATE t SET c = 0 WHERE c IS NULL');
      const { prediction } = await expectCase(f, 'ALTER TABLE t MODIFY c int NOT NULL', REBUILD, {
        write: 'INSERT INTO t (c) VALUES (1)',
      });
      expect(prediction.facts.some((x) => x.validates.includes('not null'))).toBe(true);
    });
    it('NOT NULL → NULL rebuilds in place', () => expectCase(f, 'ALTER TABLE t MODIFY n int NULL', REBUILD));
    it('MODIFY restating the column exactly changes nothing', async () => {
      const { prediction } = await expectCase(f, 'ALTER TABLE t MODIFY n int NOT NULL DEFAULT 0', INSTANT);
      expect(prediction.facts.every((x) => x.notes.some((n) => n.startsWith('no change')))).toBe(true);
    });
    it('MODIFY moving a column (AFTER) is instant', () =>
      expectCase(f, 'ALTER TABLE t MODIFY c int AFTER v', INSTANT));
    it('SET DEFAULT and DROP DEFAULT are instant', async () => {
      await expectCase(f, 'ALTER TABLE t ALTER COLUMN c SET DEFAULT 3', INSTANT);
      await expectCase(f, 'ALTER TABLE t ALTER COLUMN n DROP DEFAULT', INSTANT, {
        write: 'INSERT INTO t (n) VALUES (1)',
      });
    });
    it('ADD COLUMN beside ADD INDEX is no longer instant: the table is rebuilt', async () => {
      await expectCase(f, 'ALTER TABLE t ADD COLUMN x int, ADD INDEX t_x (x)', REBUILD);
      await freshTable(f);
      // A rename beside an index build stays in place without a rebuild.
      await expectCase(f, 'ALTER TABLE t RENAME COLUMN c TO c2, ADD INDEX t_v (v)', {
        ...INSTANT,
        algorithm: 'NOCOPY',
        mdl: 'SHARED_UPGRADABLE',
      });
    });
  });
}
