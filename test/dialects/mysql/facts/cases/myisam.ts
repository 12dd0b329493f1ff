/**
 * A MyISAM table on the local MariaDB (10.11): no online DDL. Anything beyond the definition is
 * a copy with LOCK=SHARED at best; a change of the definition alone is instant but, measured,
 * deadlocks with a steady stream of INSERTs until lock_wait_timeout. 50,000 rows: MyISAM copies
 * ten times faster than InnoDB, and the copy must outlast the probe's resolution.
 * https://mariadb.com/kb/en/alter-table/#algorithm ("COPY … the only algorithm for engines
 * that do not support online DDL"), measured below.
 */
import { beforeAll, describe, beforeEach, expect, it } from 'vitest';
import { connectMysql } from '../../../../../src/dialects/mysql/connect.js';
import { expectCase, freshTable, predict, TABLE, trace, type FactsDb } from '../support.js';
import { COPY, INSTANT as INSTANT_ON_INNODB, RETRY, type SharedFactsDb } from '../support.js';

const MYISAM = TABLE.replace('ENGINE=InnoDB', 'ENGINE=MyISAM');
const ROWS = 50_000;

export function myisamCases(shared: SharedFactsDb): void {
  describe('MariaDB facts on a MyISAM table, measured', { retry: RETRY }, () => {
    let f: FactsDb;
    beforeAll(() => {
      f = shared.get();
    });
    // Small for the instant cases; the copies get ROWS.
    beforeEach(async () => freshTable(f, { ddl: MYISAM, rows: 5000 }));
    const big = () => freshTable(f, { ddl: MYISAM, rows: ROWS });

    const label = 'MyISAM';
    // Not InnoDB: the trace cannot see a rebuild (no table id); a copy shows as affected rows.
    const INSTANT = { ...INSTANT_ON_INNODB, traced: null } as const;
    // A writer that takes no table lock: the deadlock below is measured on its own.
    const quiet = { write: 'DO 0', label };

    it('ADD COLUMN, ADD INDEX, MODIFY type and DROP COLUMN copy: writers wait, readers go on', async () => {
      // One table for all four: each copy leaves a table as big as before.
      await big();
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d int', COPY, { label });
      await expectCase(f, 'ALTER TABLE t ADD INDEX t_c (c)', COPY, { label });
      await expectCase(f, 'ALTER TABLE t MODIFY c bigint', COPY, { label });
      await expectCase(f, 'ALTER TABLE t DROP COLUMN d', COPY, { label });
      // A longer VARCHAR is instant on InnoDB only.
      await expectCase(f, 'ALTER TABLE t MODIFY v varchar(60)', COPY, { label });
    });
    // Into InnoDB the copy is slow enough on 5,000 rows.
    it('ENGINE=InnoDB converts by copying', () =>
      expectCase(f, 'ALTER TABLE t ENGINE=InnoDB', COPY, { label }));
    it('RENAME COLUMN, SET DEFAULT, COMMENT and an ENUM member at the end are instant', async () => {
      await expectCase(f, 'ALTER TABLE t RENAME COLUMN c TO c2', INSTANT, quiet);
      await expectCase(f, 'ALTER TABLE t ALTER COLUMN n SET DEFAULT 3', INSTANT, quiet);
      await expectCase(f, "ALTER TABLE t COMMENT = 'x'", INSTANT, quiet);
      await expectCase(f, "ALTER TABLE t MODIFY e enum('a','b','c','d')", INSTANT, quiet);
    });
    it('OPTIMIZE TABLE rewrites the table under EXCLUSIVE: readers wait too', async () => {
      await freshTable(f, { ddl: MYISAM, rows: 30_000 });
      await f.session.rows('DELETE FROM t WHERE id % 2 = 0');
      const p = await predict(f, 'OPTIMIZE TABLE t');
      const t = await trace(f, 'OPTIMIZE TABLE t');
      expect(p).toMatchObject({ algorithm: 'COPY', blocksWrites: true, blocksReads: true });
      expect(p.locks).toEqual([{ table: `${f.db.name}.t`, mode: 'EXCLUSIVE' }]);
      if (f.locksReadable) expect(t.locks).toContainEqual({ table: `${f.db.name}.t`, mode: 'EXCLUSIVE' });
      expect(t.writers.longestWaitMs).toBeGreaterThanOrEqual(0.7 * t.durationMs);
      expect(t.readers?.longestWaitMs).toBeGreaterThanOrEqual(0.7 * t.durationMs);
    });
    it('an instant change under a steady stream of INSERTs waits out lock_wait_timeout (measured deadlock)', async () => {
      // The INSERT holds its metadata lock and waits for the table lock the ALTER took; the ALTER
      // waits for that metadata lock to upgrade: neither gives way until lock_wait_timeout. Seen
      // in 8 of 10 tries while writing the facts; 4 tries here, one is enough.
      const p = await predict(f, 'ALTER TABLE t ALTER COLUMN n SET DEFAULT 3');
      expect(p.facts[0]?.notes.join(' ')).toMatch(/lock_wait_timeout/);
      const writer = await connectMysql(f.db.url);
      let stop = false;
      const writing = (async () => {
        while (!stop) await writer.rows('INSERT INTO t (c) VALUES (1)');
      })();
      const outcomes: string[] = [];
      try {
        await f.session.rows('SET SESSION lock_wait_timeout = 1');
        for (let i = 0; i < 4 && !outcomes.includes('ER_LOCK_WAIT_TIMEOUT'); i++) {
          const result = await f.session.rows(`ALTER TABLE t ALTER COLUMN n SET DEFAULT ${i}`).then(
            () => 'done',
            (e: unknown) => String((e as { code?: string }).code),
          );
          outcomes.push(result);
        }
      } finally {
        stop = true;
        await writing;
        await writer.close();
        await f.session.rows('SET SESSION lock_wait_timeout = 20');
      }
      expect(outcomes).toContain('ER_LOCK_WAIT_TIMEOUT');
    });
  });
}
