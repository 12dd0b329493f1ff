/**
 * ALGORITHM= and LOCK= as written, measured on the local MariaDB (10.11): MariaDB takes the
 * named algorithm as the costliest it will accept (a cheaper one still runs), COPY always
 * copies, a LOCK stronger than needed is taken, and anything weaker than the operation allows
 * is refused before any work with ER_ALTER_OPERATION_NOT_SUPPORTED (1845) or …_REASON (1846).
 * https://mariadb.com/kb/en/innodb-online-ddl-overview/ ("Specifying an Alter Algorithm",
 * "Specifying an Alter Locking Strategy").
 */
import { beforeAll, describe, beforeEach, expect, it } from 'vitest';
import { expectCase, expectRefused, freshTable, type FactsDb } from '../support.js';
import { COPY, INSTANT, NOCOPY, REBUILD, RETRY, type SharedFactsDb } from '../support.js';

export function optionCases(shared: SharedFactsDb): void {
  describe('MariaDB ALGORITHM= and LOCK=, measured', { retry: RETRY }, () => {
    let f: FactsDb;
    beforeAll(() => {
      f = shared.get();
    });
    beforeEach(async () => freshTable(f));

    // ALGORITHM=NOCOPY (MariaDB only) is not in the parser's grammar yet: its cases are checked on
    // the server here and on mysqlFacts with the Change built by hand (manual.test.ts).
    it('ALGORITHM=INPLACE or NOCOPY on an instant ADD COLUMN still runs instantly', async () => {
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d int, ALGORITHM=INPLACE', INSTANT);
      await f.session.rows('ALTER TABLE t ADD COLUMN d2 int, ALGORITHM=NOCOPY');
    });
    it('ALGORITHM=COPY copies whatever the operation could do instead', async () => {
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d int, ALGORITHM=COPY', COPY);
      await freshTable(f);
      await expectCase(f, 'ALTER TABLE t ADD INDEX t_c (c), ALGORITHM=COPY', COPY);
      await freshTable(f);
      await expectCase(f, 'CREATE INDEX t_c ON t (c) ALGORITHM=COPY', COPY);
    });
    it('LOCK= on an instant change is moot: it stays instant', async () => {
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d int, LOCK=SHARED', INSTANT);
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d2 int, LOCK=EXCLUSIVE', INSTANT);
      await expectCase(f, 'ALTER TABLE t ADD COLUMN d3 int, ALGORITHM=INSTANT, LOCK=NONE', INSTANT);
    });
    it('LOCK=SHARED on a rebuild or an index build makes writers wait', async () => {
      // 20,000 rows: a quiet machine rebuilds 4,000 in under 40 ms, too quick for the probe.
      await freshTable(f, { rows: 20_000 });
      await expectCase(f, 'ALTER TABLE t ENGINE=InnoDB, LOCK=SHARED', {
        ...REBUILD,
        writers: true,
        mdl: 'SHARED_NO_WRITE',
      });
      // A wide key (700 chars of filler) so the build outlasts the probe's resolution.
      await expectCase(f, 'ALTER TABLE t ADD INDEX t_f (filler(700)), LOCK=SHARED', {
        ...NOCOPY,
        writers: true,
        mdl: 'SHARED_NO_WRITE',
      });
    });
    it('LOCK=EXCLUSIVE makes readers wait too', async () => {
      await freshTable(f, { rows: 20_000 });
      await expectCase(f, 'ALTER TABLE t ENGINE=InnoDB, LOCK=EXCLUSIVE', {
        ...REBUILD,
        writers: true,
        readers: true,
        mdl: 'EXCLUSIVE',
      });
      await freshTable(f);
      await expectCase(f, 'ALTER TABLE t ADD COLUMN token char(36) DEFAULT (uuid()), LOCK=EXCLUSIVE', {
        ...COPY,
        readers: true,
        mdl: 'EXCLUSIVE',
      });
    });
    it('refuses ALGORITHM=INSTANT or INPLACE for what only a copy can do', async () => {
      await expectRefused(
        f,
        'ALTER TABLE t ADD COLUMN token char(36) DEFAULT (uuid()), ALGORITHM=INSTANT',
        /ALGORITHM=INSTANT is not supported.*Try ALGORITHM=COPY/,
      );
      await expectRefused(
        f,
        'ALTER TABLE t ADD COLUMN token char(36) DEFAULT (uuid()), ALGORITHM=INPLACE',
        /ALGORITHM=INPLACE is not supported.*Try ALGORITHM=COPY/,
      );
      await expectRefused(
        f,
        'ALTER TABLE t MODIFY c bigint, ALGORITHM=INPLACE',
        /Reason: Cannot change column type/,
      );
      await expectRefused(
        f,
        'ALTER TABLE t ADD CONSTRAINT t_c_pos CHECK (c >= 0), ALGORITHM=INPLACE',
        /Try ALGORITHM=COPY/,
      );
    });
    it('refuses an algorithm cheaper than the operation needs', async () => {
      await expectRefused(
        f,
        'ALTER TABLE t ADD INDEX t_c (c), ALGORITHM=INSTANT',
        /Reason: ADD INDEX\. Try ALGORITHM=NOCOPY/,
      );
      await f.session.rows('CREATE INDEX t_c ON t (c)');
      await expectRefused(
        f,
        'ALTER TABLE t DROP INDEX t_c, ALGORITHM=INSTANT',
        /Reason: DROP INDEX\. Try ALGORITHM=NOCOPY/,
      );
      await expect(f.session.rows('ALTER TABLE t ENGINE=InnoDB, ALGORITHM=NOCOPY')).rejects.toMatchObject({
        errno: 1845,
      });
      await expect(f.session.rows('ALTER TABLE t MODIFY n int NULL, ALGORITHM=NOCOPY')).rejects.toMatchObject(
        {
          errno: 1845,
        },
      );
      await f.session.rows('ALTER TABLE t MODIFY id int NOT NULL');
      await expectRefused(
        f,
        'ALTER TABLE t DROP PRIMARY KEY, ALGORITHM=INPLACE',
        /without also adding a new primary key/,
      );
    });
    it('refuses LOCK=NONE where writers must wait', async () => {
      await expectRefused(
        f,
        'ALTER TABLE t MODIFY c bigint, LOCK=NONE',
        /LOCK=NONE is not supported.*Try LOCK=SHARED/,
      );
      await f.session.rows('ALTER TABLE t MODIFY id int NOT NULL');
      await expectRefused(
        f,
        'ALTER TABLE t ADD COLUMN seq bigint AUTO_INCREMENT UNIQUE, LOCK=NONE',
        /auto-increment column requires a lock/,
      );
      await expectRefused(
        f,
        'ALTER TABLE t ADD FULLTEXT INDEX t_body (body), LOCK=NONE',
        /Fulltext index creation requires a lock/,
      );
      await f.session.rows('ALTER TABLE t ADD FULLTEXT INDEX t_body (body)');
      await expectRefused(
        f,
        'ALTER TABLE t ADD COLUMN d int, LOCK=NONE',
        /Fulltext index creation requires a lock/,
      );
    });
  });
}
