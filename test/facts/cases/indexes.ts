/**
 * CREATE / DROP / ALTER INDEX … RENAME / REINDEX, plain and CONCURRENTLY. A CONCURRENTLY form
 * cannot run in a transaction block: it runs on its own while a blocker holds a lock it must
 * wait for, so its locks can be read from pg_locks while it waits.
 */
import { docsFor, TABLE_T, type FactGroup } from '../support/fact-case.js';

const CREATE_INDEX = docsFor('current', 'sql-createindex.html');
const CONCURRENTLY = docsFor('current', 'sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY');
const DROP_INDEX = docsFor('current', 'sql-dropindex.html');
const REINDEX = docsFor('current', 'sql-reindex.html');
const INDEXED_T = `${TABLE_T}\nCREATE INDEX t_b_idx ON t (b);`;
const PARTITIONED = `CREATE TABLE pt (id int, a int) PARTITION BY RANGE (id);
CREATE TABLE pt_1 PARTITION OF pt FOR VALUES FROM (0) TO (100);
INSERT INTO pt SELECT g, g FROM generate_series(1, 50) g;`;

export const indexes: FactGroup = {
  name: 'indexes',
  cases: [
    {
      name: 'create index: SHARE blocks writes during the build',
      docs: CREATE_INDEX,
      setup: TABLE_T,
      sql: 'CREATE INDEX t_b_idx ON t (b)',
      edge: { row: `INSERT INTO t VALUES (1000, 1000, 1, 'duplicate b')` },
      server: () => ({ buildsIndex: true, locks: { t: 'SHARE' } }),
    },
    {
      name: 'create unique index',
      docs: CREATE_INDEX,
      setup: TABLE_T,
      sql: 'CREATE UNIQUE INDEX t_a_uidx ON t (a)',
      edge: { row: `INSERT INTO t VALUES (1000, 1, 1, 'duplicate a')` },
      server: () => ({ buildsIndex: true }),
    },
    {
      name: 'create partial index',
      docs: 'https://www.postgresql.org/docs/current/indexes-partial.html',
      setup: TABLE_T,
      sql: 'CREATE INDEX t_b_idx ON t (b) WHERE b > 10',
      server: () => ({ buildsIndex: true }),
    },
    {
      name: 'create index concurrently: waits for writers, blocks none',
      docs: CONCURRENTLY,
      setup: TABLE_T,
      sql: 'CREATE INDEX CONCURRENTLY t_b_idx ON t (b)',
      // A writer holds ROW EXCLUSIVE: the build waits for its transaction to end.
      blockers: ['LOCK TABLE t IN ROW EXCLUSIVE MODE'],
      server: () => ({ transactional: false, buildsIndex: true, locks: { t: 'SHARE UPDATE EXCLUSIVE' } }),
    },
    {
      name: 'create index on ONLY a partitioned table: no build',
      docs: docsFor(11, 'sql-createindex.html'),
      minMajor: 11,
      setup: PARTITIONED,
      sql: 'CREATE INDEX pt_a_idx ON ONLY pt (a)',
      server: () => ({ buildsIndex: false }),
    },
    {
      name: 'drop index: ACCESS EXCLUSIVE on the table',
      docs: DROP_INDEX,
      setup: INDEXED_T,
      sql: 'DROP INDEX t_b_idx',
      server: () => ({ locks: { t: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'drop index concurrently: waits for readers',
      docs: DROP_INDEX,
      setup: INDEXED_T,
      sql: 'DROP INDEX CONCURRENTLY t_b_idx',
      blockers: ['LOCK TABLE t IN ACCESS SHARE MODE'],
      server: () => ({ transactional: false, locks: { t: 'SHARE UPDATE EXCLUSIVE' } }),
    },
    {
      name: 'rename index',
      docs: [docsFor(11, 'sql-alterindex.html'), docsFor(12, 'sql-alterindex.html')],
      setup: INDEXED_T,
      sql: 'ALTER INDEX t_b_idx RENAME TO t_b_index',
    },
    {
      name: 'reindex index',
      docs: REINDEX,
      setup: INDEXED_T,
      sql: 'REINDEX INDEX t_b_idx',
      server: () => ({ rebuildsIndexes: true }),
    },
    {
      name: 'reindex table',
      docs: REINDEX,
      setup: INDEXED_T,
      sql: 'REINDEX TABLE t',
      server: () => ({ rebuildsIndexes: true }),
    },
    {
      name: 'reindex index concurrently',
      docs: docsFor(12, 'sql-reindex.html#SQL-REINDEX-CONCURRENTLY'),
      minMajor: 12,
      setup: INDEXED_T,
      sql: 'REINDEX INDEX CONCURRENTLY t_b_idx',
      blockers: ['LOCK TABLE t IN ROW EXCLUSIVE MODE'],
      server: () => ({ transactional: false, rebuildsIndexes: true }),
    },
    {
      name: 'reindex table concurrently',
      docs: docsFor(12, 'sql-reindex.html#SQL-REINDEX-CONCURRENTLY'),
      minMajor: 12,
      setup: INDEXED_T,
      sql: 'REINDEX TABLE CONCURRENTLY t',
      blockers: ['LOCK TABLE t IN ROW EXCLUSIVE MODE'],
      server: () => ({ transactional: false, rebuildsIndexes: true }),
    },
  ],
};
