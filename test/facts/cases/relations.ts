/** Tables, views, materialized views, partitions and enum types as wholes. */
import { docsFor, TABLE_T, TABLES_P_R, type FactGroup } from '../support/fact-case.js';

const VIEW_T = `${TABLE_T}\nCREATE VIEW v AS SELECT id, a FROM t;`;
const MATVIEW_T = `${TABLE_T}\nCREATE MATERIALIZED VIEW mv AS SELECT id, a FROM t;\nCREATE UNIQUE INDEX mv_id ON mv (id);`;
const FK_R = `${TABLES_P_R}\nALTER TABLE r ADD CONSTRAINT r_p_fk FOREIGN KEY (p_id) REFERENCES p (id);`;
const PARTITIONED = `CREATE TABLE pt (id int, a int) PARTITION BY RANGE (id);
CREATE TABLE pt_1 PARTITION OF pt FOR VALUES FROM (0) TO (100);
INSERT INTO pt SELECT g, g FROM generate_series(1, 50) g;`;
const DETACHABLE = `${PARTITIONED}\nCREATE TABLE pt_2 PARTITION OF pt FOR VALUES FROM (100) TO (200);
INSERT INTO pt SELECT g, g FROM generate_series(100, 150) g;`;
const ATTACHABLE = `${PARTITIONED}\nCREATE TABLE pt_2 (id int, a int);
INSERT INTO pt_2 SELECT g, g FROM generate_series(100, 150) g;`;

export const views: FactGroup = {
  name: 'views and materialized views',
  cases: [
    {
      name: 'create view reads its tables',
      docs: docsFor('current', 'sql-createview.html'),
      setup: TABLE_T,
      sql: 'CREATE VIEW v AS SELECT id, a FROM t',
    },
    {
      name: 'create or replace view',
      docs: docsFor('current', 'sql-createview.html'),
      setup: VIEW_T,
      sql: 'CREATE OR REPLACE VIEW v AS SELECT id, a, b FROM t',
    },
    {
      name: 'create materialized view reads every row',
      docs: docsFor('current', 'sql-creatematerializedview.html'),
      setup: TABLE_T,
      sql: 'CREATE MATERIALIZED VIEW mv AS SELECT id, a FROM t',
      server: () => ({ scansTable: true }),
    },
    { name: 'drop view', docs: docsFor('current', 'sql-dropview.html'), setup: VIEW_T, sql: 'DROP VIEW v' },
    {
      name: 'drop materialized view',
      docs: docsFor('current', 'sql-dropmaterializedview.html'),
      setup: MATVIEW_T,
      sql: 'DROP MATERIALIZED VIEW mv',
    },
    {
      name: 'refresh materialized view: new files under ACCESS EXCLUSIVE',
      docs: docsFor('current', 'sql-refreshmaterializedview.html'),
      setup: MATVIEW_T,
      sql: 'REFRESH MATERIALIZED VIEW mv',
      server: () => ({ rewritesTable: true, locks: { mv: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'refresh materialized view concurrently: EXCLUSIVE, rows merged in place',
      docs: docsFor('current', 'sql-refreshmaterializedview.html'),
      setup: MATVIEW_T,
      sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv',
      server: () => ({ rewritesTable: false, locks: { mv: 'EXCLUSIVE' } }),
    },
  ],
};

export const tables: FactGroup = {
  name: 'create and drop tables',
  cases: [
    {
      name: 'create table with REFERENCES: the referenced table gets triggers',
      docs: docsFor('current', 'sql-createtable.html'),
      setup: 'CREATE TABLE p (id int PRIMARY KEY);',
      sql: 'CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id))',
      server: () => ({ locks: { p: 'SHARE ROW EXCLUSIVE' } }),
    },
    {
      name: 'create table partition of',
      docs: docsFor('current', 'sql-createtable.html'),
      setup: PARTITIONED,
      sql: 'CREATE TABLE pt_2 PARTITION OF pt FOR VALUES FROM (100) TO (200)',
    },
    {
      name: 'drop table with a foreign key: the referenced table loses its triggers',
      docs: docsFor('current', 'sql-droptable.html'),
      setup: FK_R,
      sql: 'DROP TABLE r',
      server: () => ({ locks: { r: 'ACCESS EXCLUSIVE', p: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'drop table',
      docs: docsFor('current', 'sql-droptable.html'),
      setup: TABLE_T,
      sql: 'DROP TABLE t',
    },
  ],
};

export const partitions: FactGroup = {
  name: 'partitions',
  cases: [
    {
      name: 'attach partition: ACCESS EXCLUSIVE on the parent before 12, SHARE UPDATE EXCLUSIVE since',
      docs: [
        docsFor(11, 'sql-altertable.html'),
        docsFor(12, 'sql-altertable.html#SQL-ALTERTABLE-ATTACH-PARTITION'),
      ],
      setup: ATTACHABLE,
      sql: 'ALTER TABLE pt ATTACH PARTITION pt_2 FOR VALUES FROM (100) TO (200)',
      edge: { row: 'INSERT INTO pt_2 VALUES (5, 5)' },
      server: (major) => ({
        scansTable: true,
        locks: { pt: major < 12 ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE', pt_2: 'ACCESS EXCLUSIVE' },
      }),
    },
    {
      name: 'detach partition',
      docs: docsFor('current', 'sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION'),
      setup: DETACHABLE,
      sql: 'ALTER TABLE pt DETACH PARTITION pt_2',
    },
    {
      name: 'detach partition concurrently (14+): two transactions',
      docs: docsFor(14, 'sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION'),
      minMajor: 14,
      setup: DETACHABLE,
      sql: 'ALTER TABLE pt DETACH PARTITION pt_2 CONCURRENTLY',
      // The first transaction waits for every transaction using the parent; the second takes
      // ACCESS EXCLUSIVE on the partition, so a reader of the partition alone holds it up there.
      blockers: ['LOCK TABLE ONLY pt IN ACCESS SHARE MODE', 'LOCK TABLE pt_2 IN ACCESS SHARE MODE'],
      server: () => ({ transactional: false }),
    },
  ],
};

export const enums: FactGroup = {
  name: 'enum types',
  cases: [
    {
      name: 'add enum value: not in a transaction block before 12',
      docs: [docsFor(11, 'sql-altertype.html'), docsFor(12, 'sql-altertype.html')],
      setup: `CREATE TYPE mood AS ENUM ('sad', 'ok');\n${TABLE_T}\nALTER TABLE t ADD COLUMN m mood;`,
      sql: `ALTER TYPE mood ADD VALUE 'happy'`,
      server: (major) => ({ transactional: major >= 12 }),
    },
  ],
};
