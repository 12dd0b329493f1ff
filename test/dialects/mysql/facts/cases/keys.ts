/**
 * Indexes and constraints on InnoDB, measured on the local MariaDB (10.11) while another
 * session writes, and predicted by mysqlFacts (support.ts). Pages:
 * NOCOPY   https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-nocopy-alter-algorithm/
 * INPLACE  https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/
 */
import { beforeAll, describe, beforeEach, expect, it } from 'vitest';
import { expectCase, freshTable, type FactsDb } from '../support.js';
import { COPY, INSTANT, NOCOPY, REBUILD, RETRY, type SharedFactsDb } from '../support.js';

export function keyCases(shared: SharedFactsDb): void {
  describe('MariaDB index and constraint facts, measured', { retry: RETRY }, () => {
    let f: FactsDb;
    beforeAll(() => {
      f = shared.get();
    });
    beforeEach(async () => freshTable(f));

    // The trace calls an in-place change that built nothing INSTANT; the server calls DROP INDEX
    // NOCOPY (cases/options.ts: ALGORITHM=INSTANT is refused "Reason: DROP INDEX").
    const DROPS = { ...NOCOPY, traced: 'INSTANT' } as const;

    it('ADD INDEX, ADD UNIQUE and CREATE INDEX build in place: NOCOPY, writers go on', async () => {
      await expectCase(f, 'ALTER TABLE t ADD INDEX t_c (c)', NOCOPY);
      const { prediction } = await expectCase(f, 'ALTER TABLE t ADD UNIQUE t_v (v)', NOCOPY, {
        write: 'INSERT INTO t (v) VALUES (NULL)',
      });
      expect(prediction.facts[0]?.rejectsExistingValues).toBe(true);
      await expectCase(f, 'CREATE INDEX t_n ON t (n)', NOCOPY);
    });
    it('DROP INDEX and RENAME INDEX write nothing', async () => {
      await f.session.rows('CREATE INDEX t_c ON t (c)');
      await expectCase(f, 'ALTER TABLE t RENAME INDEX t_c TO t_c2', INSTANT);
      await expectCase(f, 'ALTER TABLE t DROP INDEX t_c2', DROPS);
      await f.session.rows('CREATE INDEX t_c ON t (c)');
      await expectCase(f, 'DROP INDEX t_c ON t', DROPS);
    });
    it('the first FULLTEXT index rebuilds the table (FTS_DOC_ID) with LOCK=SHARED; the second is built in place, still LOCK=SHARED', async () => {
      await freshTable(f, { rows: 12_000 });
      await expectCase(f, 'ALTER TABLE t ADD FULLTEXT INDEX t_body (body)', {
        ...REBUILD,
        writers: true,
        mdl: 'SHARED_NO_WRITE',
      });
      // The second builds only its own index (words to index: 4,000 rows of 40 words).
      await f.session.rows("UPDATE t SET filler = repeat(concat('lorem ipsum dolor ', id, ' '), 10)");
      const { trace } = await expectCase(f, 'ALTER TABLE t ADD FULLTEXT INDEX t_filler_ft (filler)', {
        ...NOCOPY,
        writers: true,
        mdl: 'SHARED_NO_WRITE',
      });
      expect(trace.indexesBuilt).toBe(1);
    });
    it('ADD SPATIAL INDEX is built in place with LOCK=SHARED', async () => {
      await freshTable(f, {
        rows: 12_000,
        after: [
          'ALTER TABLE t ADD COLUMN g point NOT NULL DEFAULT (point(1, 1))',
          'UPDATE t SET g = point(id, id)',
        ],
      });
      await expectCase(f, 'ALTER TABLE t ADD SPATIAL INDEX t_g (g)', {
        ...NOCOPY,
        writers: true,
        mdl: 'SHARED_NO_WRITE',
      });
    });
    it('ADD PRIMARY KEY on a table without one rebuilds in place, writers go on', async () => {
      await freshTable(f, {
        ddl: "CREATE TABLE t (id int NOT NULL, c int, n int NOT NULL DEFAULT 0, v varchar(50), v2 varchar(60) CHARACTER SET latin1, s31 varchar(31), s32 varchar(32), e enum('a','b','c'), body text, pid int, filler varchar(1000))",
      });
      await expectCase(f, 'ALTER TABLE t ADD PRIMARY KEY (id)', REBUILD, {
        write: 'INSERT INTO t (id) VALUES (FLOOR(RAND() * 1e9) + 100000)',
      });
    });
    it('DROP PRIMARY KEY copies the table; with a new one in the same ALTER it rebuilds in place', async () => {
      const write = 'INSERT INTO t (id, c) VALUES (FLOOR(RAND() * 1e9) + 100000, 1)';
      await f.session.rows('ALTER TABLE t MODIFY id int NOT NULL');
      await expectCase(f, 'ALTER TABLE t DROP PRIMARY KEY', COPY, { write });
      await f.session.rows('UPDATE t SET c = id');
      await f.session.rows('ALTER TABLE t ADD PRIMARY KEY (id)');
      await expectCase(f, 'ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, c)', REBUILD, {
        write: 'INSERT INTO t (id, c) VALUES (FLOOR(RAND() * 1e9) + 100000, 1)',
      });
    });
    it('ADD FOREIGN KEY with foreign_key_checks=1 copies and holds the parent too', async () => {
      const { prediction, trace } = await expectCase(
        f,
        'ALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (pid) REFERENCES p (id)',
        COPY,
        { write: 'INSERT INTO p (id) VALUES (FLOOR(RAND() * 1e9) + 100000)' },
      );
      // The writer above writes to the parent: it waited for the whole copy.
      const parent = `${f.db.name}.p`;
      if (f.locksReadable) expect(trace.locks).toContainEqual({ table: parent, mode: 'SHARED_NO_WRITE' });
      expect(prediction.locks).toContainEqual({ table: parent, mode: 'SHARED_NO_WRITE' });
      expect(prediction.facts[0]?.validates).toEqual(['foreign key']);
    });
    it('ADD FOREIGN KEY with foreign_key_checks=0 only builds the index it needs; with one already, nothing', async () => {
      const prelude = ['SET foreign_key_checks = 0'];
      await expectCase(f, 'ALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (pid) REFERENCES p (id)', NOCOPY, {
        prelude,
      });
      await freshTable(f, { after: ['CREATE INDEX t_pid ON t (pid)'] });
      const { prediction } = await expectCase(
        f,
        'ALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (pid) REFERENCES p (id)',
        INSTANT,
        { prelude },
      );
      expect(prediction.facts[0]?.validates).toEqual([]);
    });
    it('DROP FOREIGN KEY is instant', async () => {
      await f.session.rows('ALTER TABLE t ADD CONSTRAINT t_p FOREIGN KEY (pid) REFERENCES p (id)');
      await expectCase(f, 'ALTER TABLE t DROP FOREIGN KEY t_p', INSTANT, {
        write: 'INSERT INTO t (pid) VALUES (1)',
      });
    });
    it('ADD CHECK copies the table (every row checked); DROP CONSTRAINT of a CHECK is instant', async () => {
      const { prediction } = await expectCase(f, 'ALTER TABLE t ADD CONSTRAINT t_c_pos CHECK (c >= 0)', COPY);
      expect(prediction.facts[0]?.validates).toEqual(['check']);
      // MariaDB has no DROP CHECK (MySQL 8.0.19+ syntax); DROP CONSTRAINT is its spelling.
      await expectCase(f, 'ALTER TABLE t DROP CONSTRAINT t_c_pos', INSTANT);
    });
  });
}
