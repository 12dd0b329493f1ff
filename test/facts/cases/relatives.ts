/**
 * Locks on relations a statement does not name: the other end of a foreign key that is dropped
 * or rebuilt, the views DROP … CASCADE takes along, the tables TRUNCATE … CASCADE reaches, the
 * partitions an ALTER TABLE or CREATE INDEX recurses into, the default partition a new sibling
 * narrows, the relations CREATE TABLE AS and REFRESH MATERIALIZED VIEW read.
 */
import type { LockMode } from '../../../src/core/locks.js';
import { ALTER_TABLE_DOCS, docsFor, TABLE_T, type FactCase, type FactGroup } from '../support/fact-case.js';

/** `r` references `p` twice: `r.p_id` → `p.id` (int) and `r.pk` → `p.k` (varchar(10)). */
const KEYS = `CREATE TABLE p (id int PRIMARY KEY, k varchar(10) UNIQUE, x int);
INSERT INTO p SELECT g, g::text, g FROM generate_series(1, 50) g;
CREATE TABLE r (id int PRIMARY KEY, p_id int REFERENCES p (id), pk varchar(10) REFERENCES p (k));
INSERT INTO r SELECT g, g, g::text FROM generate_series(1, 50) g;`;

/** p ← r ← r2: TRUNCATE p CASCADE empties all three. */
const CHAIN = `CREATE TABLE p (id int PRIMARY KEY);
INSERT INTO p SELECT generate_series(1, 50);
CREATE TABLE r (id int PRIMARY KEY, p_id int REFERENCES p (id));
INSERT INTO r SELECT g, g FROM generate_series(1, 50) g;
CREATE TABLE r2 (id int PRIMARY KEY, r_id int REFERENCES r (id));
INSERT INTO r2 SELECT g, g FROM generate_series(1, 50) g;`;

/** v reads t.b, v2 reads v, vother reads t without b. */
const VIEWS_T = `${TABLE_T}
CREATE VIEW v AS SELECT id, b FROM t;
CREATE VIEW v2 AS SELECT id, b FROM v;
CREATE VIEW vother AS SELECT id, a FROM t;`;

/** pt has a partition pt_1 and a sub-partitioned pt_2 (with pt_2a); every leaf has rows. */
const PARTITIONED = `CREATE TABLE pt (id int, a int) PARTITION BY RANGE (id);
CREATE TABLE pt_1 PARTITION OF pt FOR VALUES FROM (0) TO (100);
CREATE TABLE pt_2 PARTITION OF pt FOR VALUES FROM (100) TO (200) PARTITION BY RANGE (id);
CREATE TABLE pt_2a PARTITION OF pt_2 FOR VALUES FROM (100) TO (150);
INSERT INTO pt SELECT g, g FROM generate_series(1, 140) g;`;
const EVERY_PARTITION = ['pt', 'pt_1', 'pt_2', 'pt_2a'];
const everyPartition = (mode: LockMode): Record<string, LockMode> =>
  Object.fromEntries(EVERY_PARTITION.map((t) => [t, mode]));

/** pt with a default partition holding a row. */
const WITH_DEFAULT = `${PARTITIONED}
CREATE TABLE pt_d PARTITION OF pt DEFAULT;
INSERT INTO pt VALUES (500, 5);`;

const MATVIEW = `${CHAIN}
CREATE MATERIALIZED VIEW mv AS SELECT r.id FROM r JOIN p ON p.id = r.p_id;
CREATE UNIQUE INDEX mv_id ON mv (id);`;

const CREATE_INDEX = docsFor('current', 'sql-createindex.html');
const PARTITIONING = docsFor('current', 'ddl-partitioning.html');

export const foreignKeyPartners: FactGroup = {
  name: 'foreign keys: the table at the other end',
  cases: [
    {
      name: 'type change of a referenced key: the key is rebuilt and the referencing rows checked again',
      docs: ALTER_TABLE_DOCS,
      setup: KEYS,
      sql: 'ALTER TABLE p ALTER COLUMN id TYPE bigint',
      server: () => ({ scansTable: true, locks: { p: 'ACCESS EXCLUSIVE', r: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'type change of a referencing column: the referenced table is locked too',
      docs: ALTER_TABLE_DOCS,
      setup: KEYS,
      sql: 'ALTER TABLE r ALTER COLUMN p_id TYPE bigint',
      server: () => ({ scansTable: true, locks: { p: 'ACCESS EXCLUSIVE', r: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'a referenced varchar widened: the key is rebuilt without reading a row',
      docs: ALTER_TABLE_DOCS,
      setup: KEYS,
      sql: 'ALTER TABLE p ALTER COLUMN k TYPE varchar(20)',
      server: () => ({ scansTable: false, locks: { p: 'ACCESS EXCLUSIVE', r: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'a referencing varchar made text: the same comparison, no re-check',
      docs: ALTER_TABLE_DOCS,
      setup: KEYS,
      sql: 'ALTER TABLE r ALTER COLUMN pk TYPE text',
      server: () => ({ scansTable: false, locks: { p: 'ACCESS EXCLUSIVE', r: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'type change of a column in no key: no other table',
      docs: ALTER_TABLE_DOCS,
      setup: KEYS,
      sql: 'ALTER TABLE p ALTER COLUMN x TYPE bigint',
      server: () => ({ locks: { p: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'drop a referencing column: its foreign key goes, and its triggers on the referenced table',
      docs: ALTER_TABLE_DOCS,
      setup: KEYS,
      sql: 'ALTER TABLE r DROP COLUMN p_id',
      server: () => ({ locks: { p: 'ACCESS EXCLUSIVE', r: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'drop a referenced column with CASCADE: the referencing foreign key goes',
      docs: ALTER_TABLE_DOCS,
      setup: KEYS,
      sql: 'ALTER TABLE p DROP COLUMN id CASCADE',
      server: () => ({ locks: { p: 'ACCESS EXCLUSIVE', r: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'drop a primary key with CASCADE: the foreign keys that need it go',
      docs: ALTER_TABLE_DOCS,
      setup: KEYS,
      sql: 'ALTER TABLE p DROP CONSTRAINT p_pkey CASCADE',
      server: () => ({ locks: { p: 'ACCESS EXCLUSIVE', r: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'drop table with CASCADE: foreign keys that reference it go',
      docs: docsFor('current', 'sql-droptable.html'),
      setup: `${CHAIN}\nCREATE VIEW pv AS SELECT id FROM p;`,
      sql: 'DROP TABLE p CASCADE',
      server: () => ({ locks: { p: 'ACCESS EXCLUSIVE', pv: 'ACCESS EXCLUSIVE', r: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'truncate with CASCADE: every table with a foreign key to it, transitively',
      docs: docsFor('current', 'sql-truncate.html'),
      setup: CHAIN,
      sql: 'TRUNCATE p CASCADE',
      server: () => ({
        emptiesTable: true,
        rewritesTable: false,
        locks: { p: 'ACCESS EXCLUSIVE', r: 'ACCESS EXCLUSIVE', r2: 'ACCESS EXCLUSIVE' },
      }),
    },
    {
      name: 'truncate a referencing table: the referenced one is not touched',
      docs: docsFor('current', 'sql-truncate.html'),
      setup: CHAIN,
      sql: 'TRUNCATE r2',
      server: () => ({ locks: { r2: 'ACCESS EXCLUSIVE' } }),
    },
  ],
};

export const cascadedViews: FactGroup = {
  name: 'views dropped with what they read',
  cases: [
    {
      name: 'drop column CASCADE drops the views that read it, and the views over those',
      docs: [ALTER_TABLE_DOCS, docsFor('current', 'ddl-depend.html')],
      setup: VIEWS_T,
      sql: 'ALTER TABLE t DROP COLUMN b CASCADE',
      server: () => ({ locks: { t: 'ACCESS EXCLUSIVE', v: 'ACCESS EXCLUSIVE', v2: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'drop view CASCADE drops the views over it',
      docs: docsFor('current', 'sql-dropview.html'),
      setup: VIEWS_T,
      sql: 'DROP VIEW v CASCADE',
      server: () => ({ locks: { v: 'ACCESS EXCLUSIVE', v2: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'drop table CASCADE drops every view over it',
      docs: docsFor('current', 'sql-droptable.html'),
      setup: VIEWS_T,
      sql: 'DROP TABLE t CASCADE',
    },
  ],
};

export const partitionRecursion: FactGroup = {
  name: 'partitions reached through their parent',
  cases: [
    {
      name: 'create index on a partitioned table: SHARE on every partition, an index on each',
      docs: [CREATE_INDEX, PARTITIONING],
      minMajor: 11,
      setup: PARTITIONED,
      sql: 'CREATE INDEX pt_a_idx ON pt (a)',
      server: () => ({ buildsIndex: true, locks: everyPartition('SHARE') }),
    },
    {
      name: 'create unique index on a partitioned table',
      docs: [CREATE_INDEX, PARTITIONING],
      minMajor: 11,
      setup: PARTITIONED,
      sql: 'CREATE UNIQUE INDEX pt_id_idx ON pt (id)',
      server: () => ({ buildsIndex: true, locks: everyPartition('SHARE') }),
    },
    ...(
      [
        ['add column', 'ALTER TABLE pt ADD COLUMN b int'],
        [
          'add column with a volatile default: every partition rewritten',
          'ALTER TABLE pt ADD COLUMN b float8 DEFAULT random()',
        ],
        ['drop column', 'ALTER TABLE pt DROP COLUMN a'],
        ['rename column', 'ALTER TABLE pt RENAME COLUMN a TO a2'],
        ['alter column type', 'ALTER TABLE pt ALTER COLUMN a TYPE bigint'],
        ['set not null: every partition scanned', 'ALTER TABLE pt ALTER COLUMN a SET NOT NULL'],
        ['set default', 'ALTER TABLE pt ALTER COLUMN a SET DEFAULT 1'],
        ['add check: every partition scanned', 'ALTER TABLE pt ADD CONSTRAINT pt_a_pos CHECK (a > 0)'],
      ] as const
    ).map(([what, sql]): FactCase => ({
      name: `${what} on a partitioned table: ACCESS EXCLUSIVE on every partition`,
      docs: [ALTER_TABLE_DOCS, PARTITIONING],
      setup: PARTITIONED,
      sql,
      server: () => ({ locks: everyPartition('ACCESS EXCLUSIVE') }),
    })),
    {
      name: 'drop not null on a partitioned table',
      docs: [ALTER_TABLE_DOCS, PARTITIONING],
      setup: `${PARTITIONED}\nALTER TABLE pt ALTER COLUMN a SET NOT NULL;`,
      sql: 'ALTER TABLE pt ALTER COLUMN a DROP NOT NULL',
      server: () => ({ locks: everyPartition('ACCESS EXCLUSIVE') }),
    },
    {
      name: 'drop default on a partitioned table',
      docs: [ALTER_TABLE_DOCS, PARTITIONING],
      setup: `${PARTITIONED}\nALTER TABLE pt ALTER COLUMN a SET DEFAULT 1;`,
      sql: 'ALTER TABLE pt ALTER COLUMN a DROP DEFAULT',
      server: () => ({ locks: everyPartition('ACCESS EXCLUSIVE') }),
    },
    {
      name: 'validate constraint on a partitioned table: SHARE UPDATE EXCLUSIVE on every partition',
      docs: [ALTER_TABLE_DOCS, PARTITIONING],
      minMajor: 12,
      setup: `${PARTITIONED}\nALTER TABLE pt ADD CONSTRAINT pt_a_pos CHECK (a > 0) NOT VALID;`,
      sql: 'ALTER TABLE pt VALIDATE CONSTRAINT pt_a_pos',
      server: () => ({ scansTable: true, locks: everyPartition('SHARE UPDATE EXCLUSIVE') }),
    },
    {
      name: 'drop constraint on a partitioned table',
      docs: [ALTER_TABLE_DOCS, PARTITIONING],
      setup: `${PARTITIONED}\nALTER TABLE pt ADD CONSTRAINT pt_a_pos CHECK (a > 0);`,
      sql: 'ALTER TABLE pt DROP CONSTRAINT pt_a_pos',
      server: () => ({ locks: everyPartition('ACCESS EXCLUSIVE') }),
    },
    {
      name: 'rename constraint on a partitioned table',
      docs: [ALTER_TABLE_DOCS, PARTITIONING],
      setup: `${PARTITIONED}\nALTER TABLE pt ADD CONSTRAINT pt_a_pos CHECK (a > 0);`,
      sql: 'ALTER TABLE pt RENAME CONSTRAINT pt_a_pos TO pt_a_positive',
      server: () => ({ locks: everyPartition('ACCESS EXCLUSIVE') }),
    },
    {
      name: 'add identity on a partitioned table',
      docs: [docsFor(17, 'sql-altertable.html'), PARTITIONING],
      minMajor: 17,
      setup: `${PARTITIONED}\nALTER TABLE pt ALTER COLUMN a SET NOT NULL;`,
      sql: 'ALTER TABLE pt ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY',
      server: () => ({ locks: everyPartition('ACCESS EXCLUSIVE') }),
    },
    {
      name: 'drop identity on a partitioned table',
      docs: [docsFor(17, 'sql-altertable.html'), PARTITIONING],
      minMajor: 17,
      setup: `${PARTITIONED}
ALTER TABLE pt ALTER COLUMN a SET NOT NULL;
ALTER TABLE pt ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY;`,
      sql: 'ALTER TABLE pt ALTER COLUMN a DROP IDENTITY',
      server: () => ({ locks: everyPartition('ACCESS EXCLUSIVE') }),
    },
    {
      name: 'set generated expression on a partitioned table: every partition recomputed',
      docs: [docsFor(17, 'sql-altertable.html'), PARTITIONING],
      minMajor: 17,
      setup: `${PARTITIONED}\nALTER TABLE pt ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED;`,
      sql: 'ALTER TABLE pt ALTER COLUMN g SET EXPRESSION AS (a * 3)',
      server: () => ({ rewritesTable: true, locks: everyPartition('ACCESS EXCLUSIVE') }),
    },
    {
      name: 'add foreign key on a partitioned table: SHARE ROW EXCLUSIVE on every partition',
      docs: [ALTER_TABLE_DOCS, PARTITIONING],
      minMajor: 12,
      setup: `${PARTITIONED}\nCREATE TABLE k (a int PRIMARY KEY); INSERT INTO k SELECT generate_series(1, 200);`,
      sql: 'ALTER TABLE pt ADD CONSTRAINT pt_a_fk FOREIGN KEY (a) REFERENCES k (a)',
      server: () => ({
        scansTable: true,
        locks: { ...everyPartition('SHARE ROW EXCLUSIVE'), k: 'SHARE ROW EXCLUSIVE' },
      }),
    },
    {
      name: 'disable trigger on a partitioned table',
      docs: [ALTER_TABLE_DOCS, PARTITIONING],
      minMajor: 13,
      setup: `${PARTITIONED}
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER pt_touch BEFORE UPDATE ON pt FOR EACH ROW EXECUTE PROCEDURE touch();`,
      sql: 'ALTER TABLE pt DISABLE TRIGGER pt_touch',
    },
    {
      name: 'ALTER TABLE ONLY: the partitions are left alone',
      docs: [ALTER_TABLE_DOCS, PARTITIONING],
      setup: PARTITIONED,
      sql: 'ALTER TABLE ONLY pt ALTER COLUMN a SET DEFAULT 1',
      server: () => ({ locks: { pt: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'truncate a partitioned table: every partition emptied',
      docs: [docsFor('current', 'sql-truncate.html'), PARTITIONING],
      setup: PARTITIONED,
      sql: 'TRUNCATE pt',
      server: () => ({ emptiesTable: true, locks: everyPartition('ACCESS EXCLUSIVE') }),
    },
    {
      name: 'drop a partitioned table: its partitions go too',
      docs: [docsFor('current', 'sql-droptable.html'), PARTITIONING],
      setup: PARTITIONED,
      sql: 'DROP TABLE pt',
      server: () => ({ locks: everyPartition('ACCESS EXCLUSIVE') }),
    },
  ],
};

export const defaultPartitions: FactGroup = {
  name: 'the default partition',
  cases: [
    {
      name: 'attach partition: the default partition is locked and read',
      docs: docsFor(11, 'sql-altertable.html#SQL-ALTERTABLE-ATTACH-PARTITION'),
      minMajor: 11,
      setup: `${WITH_DEFAULT}\nCREATE TABLE pt_3 (id int, a int); INSERT INTO pt_3 VALUES (250, 1);`,
      sql: 'ALTER TABLE pt ATTACH PARTITION pt_3 FOR VALUES FROM (200) TO (300)',
      edge: { row: 'INSERT INTO pt VALUES (260, 1)' },
      server: (major) => ({
        scansTable: true,
        locks: {
          pt: major < 12 ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE',
          pt_3: 'ACCESS EXCLUSIVE',
          pt_d: 'ACCESS EXCLUSIVE',
        },
      }),
    },
    {
      name: 'create a partition: the default partition is locked and read',
      docs: docsFor(11, 'sql-createtable.html'),
      minMajor: 11,
      setup: WITH_DEFAULT,
      sql: 'CREATE TABLE pt_3 PARTITION OF pt FOR VALUES FROM (200) TO (300)',
      edge: { row: 'INSERT INTO pt VALUES (260, 1)' },
      server: () => ({ scansTable: true, locks: { pt: 'ACCESS EXCLUSIVE', pt_d: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'detach a partition: the default partition is locked, not read',
      docs: docsFor(11, 'sql-altertable.html'),
      minMajor: 11,
      setup: WITH_DEFAULT,
      sql: 'ALTER TABLE pt DETACH PARTITION pt_1',
      server: (major) => ({
        scansTable: false,
        locks: {
          pt: 'ACCESS EXCLUSIVE',
          pt_1: major < 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE',
          pt_d: 'ACCESS EXCLUSIVE',
        },
      }),
    },
  ],
};

export const sourcesRead: FactGroup = {
  name: 'relations a query reads',
  cases: [
    {
      name: 'create table as: ACCESS SHARE on what it reads, every row read',
      docs: docsFor('current', 'sql-createtableas.html'),
      setup: TABLE_T,
      sql: 'CREATE TABLE c AS SELECT * FROM t',
      server: () => ({ scansTable: true, locks: { t: 'ACCESS SHARE' } }),
    },
    {
      name: 'select into: the same as create table as',
      docs: docsFor('current', 'sql-selectinto.html'),
      setup: TABLE_T,
      sql: 'SELECT * INTO c FROM t',
      server: () => ({ scansTable: true, locks: { t: 'ACCESS SHARE' } }),
    },
    {
      name: 'refresh materialized view: ACCESS SHARE on what its query reads',
      docs: docsFor('current', 'sql-refreshmaterializedview.html'),
      setup: MATVIEW,
      sql: 'REFRESH MATERIALIZED VIEW mv',
      server: () => ({ locks: { mv: 'ACCESS EXCLUSIVE', p: 'ACCESS SHARE', r: 'ACCESS SHARE' } }),
    },
    {
      name: 'refresh materialized view concurrently: the same sources',
      docs: docsFor('current', 'sql-refreshmaterializedview.html'),
      setup: MATVIEW,
      sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv',
      server: () => ({ locks: { mv: 'EXCLUSIVE', p: 'ACCESS SHARE', r: 'ACCESS SHARE' } }),
    },
  ],
};
