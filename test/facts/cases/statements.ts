/**
 * LOCK TABLE, GRANT / REVOKE, ENABLE / DISABLE TRIGGER ALL | USER, and ALTER FOREIGN TABLE:
 * statements whose locks were guessed (or missed) before test/facts measured them.
 */
import { LOCK_MODES, type LockMode } from '../../../src/core/locks.js';
import {
  ALTER_TABLE_DOCS,
  docsFor,
  TABLE_T,
  TABLES_P_R,
  type FactCase,
  type FactGroup,
} from '../support/fact-case.js';

const LOCK_DOCS = [
  docsFor('current', 'sql-lock.html'),
  docsFor('current', 'explicit-locking.html#LOCKING-TABLES'),
];
const PARTITIONED = `CREATE TABLE pt (id int, a int) PARTITION BY RANGE (id);
CREATE TABLE pt_1 PARTITION OF pt FOR VALUES FROM (0) TO (100);
INSERT INTO pt SELECT g, g FROM generate_series(1, 50) g;`;

export const lockTable: FactGroup = {
  name: 'lock table',
  cases: [
    ...LOCK_MODES.map((mode): FactCase => ({
      name: `IN ${mode} MODE`,
      docs: LOCK_DOCS,
      setup: TABLE_T,
      sql: `LOCK TABLE t IN ${mode} MODE`,
      // ACCESS SHARE is only compared where facts name it, which they do here.
      server: () => ({ locks: { t: mode } }),
    })),
    {
      name: 'no mode: ACCESS EXCLUSIVE',
      docs: LOCK_DOCS,
      setup: TABLE_T,
      sql: 'LOCK t',
      server: () => ({ locks: { t: 'ACCESS EXCLUSIVE' } }),
    },
    {
      name: 'NOWAIT: the same lock when it is free',
      docs: LOCK_DOCS,
      setup: TABLE_T,
      sql: 'LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE NOWAIT',
      server: () => ({ locks: { t: 'SHARE ROW EXCLUSIVE' } }),
    },
    {
      name: 'several tables',
      docs: LOCK_DOCS,
      setup: TABLES_P_R,
      sql: 'LOCK TABLE p, r IN EXCLUSIVE MODE',
      server: () => ({ locks: { p: 'EXCLUSIVE', r: 'EXCLUSIVE' } }),
    },
    {
      name: 'a partitioned table: its partitions too',
      docs: LOCK_DOCS,
      setup: PARTITIONED,
      sql: 'LOCK TABLE pt IN SHARE MODE',
      server: () => ({ locks: { pt: 'SHARE', pt_1: 'SHARE' } }),
    },
    {
      name: 'ONLY a partitioned table: not its partitions',
      docs: LOCK_DOCS,
      setup: PARTITIONED,
      sql: 'LOCK TABLE ONLY pt IN SHARE MODE',
      server: () => ({ locks: { pt: 'SHARE' } }),
    },
    {
      name: 'a view: the relations it reads too (11+)',
      docs: [docsFor(11, 'sql-lock.html'), ...LOCK_DOCS],
      minMajor: 11,
      setup: `${TABLES_P_R}
CREATE VIEW v AS SELECT r.id FROM r JOIN p ON p.id = r.p_id;
CREATE VIEW vv AS SELECT id FROM v;`,
      sql: 'LOCK TABLE vv IN ROW EXCLUSIVE MODE',
      server: () => ({
        locks: { p: 'ROW EXCLUSIVE', r: 'ROW EXCLUSIVE', v: 'ROW EXCLUSIVE', vv: 'ROW EXCLUSIVE' },
      }),
    },
  ],
};

/** GRANT / REVOKE lock the relation since 18; the case holds on both sides of the change. */
const grantLock = (major: number): Record<string, LockMode> => (major >= 18 ? { t: 'ACCESS SHARE' } : {});

export const privileges: FactGroup = {
  name: 'grant and revoke',
  cases: [
    {
      name: 'grant on a table: ACCESS SHARE from 18, nothing before',
      docs: [docsFor(15, 'sql-grant.html'), docsFor(18, 'sql-grant.html')],
      setup: TABLE_T,
      sql: 'GRANT SELECT ON t TO PUBLIC',
      server: (major) => ({ locks: grantLock(major) }),
    },
    {
      name: 'revoke on a table: the same',
      docs: [docsFor(15, 'sql-revoke.html'), docsFor(18, 'sql-revoke.html')],
      setup: `${TABLE_T}\nGRANT SELECT ON t TO PUBLIC;`,
      sql: 'REVOKE SELECT ON t FROM PUBLIC',
      server: (major) => ({ locks: grantLock(major) }),
    },
    {
      name: 'grant on columns: the table is looked up the same way',
      docs: [docsFor(15, 'sql-grant.html'), docsFor(18, 'sql-grant.html')],
      setup: TABLE_T,
      sql: 'GRANT SELECT (a, b) ON t TO PUBLIC',
      server: (major) => ({ locks: grantLock(major) }),
    },
  ],
};

/** `r` has a user trigger and, through its foreign key to `p`, internal RI triggers. */
const TRIGGERS_P_R = `${TABLES_P_R}
ALTER TABLE r ADD CONSTRAINT r_p_fk FOREIGN KEY (p_id) REFERENCES p (id);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER r_touch BEFORE UPDATE ON r FOR EACH ROW EXECUTE PROCEDURE touch();`;

export const triggerGroups: FactGroup = {
  name: 'enable / disable trigger all | user',
  cases: [
    {
      name: 'disable trigger all (the foreign key checks included): SHARE ROW EXCLUSIVE, this table only',
      docs: ALTER_TABLE_DOCS,
      setup: TRIGGERS_P_R,
      sql: 'ALTER TABLE r DISABLE TRIGGER ALL',
      server: () => ({ locks: { r: 'SHARE ROW EXCLUSIVE' } }),
    },
    {
      name: 'disable trigger all on the referenced table',
      docs: ALTER_TABLE_DOCS,
      setup: TRIGGERS_P_R,
      sql: 'ALTER TABLE p DISABLE TRIGGER ALL',
      server: () => ({ locks: { p: 'SHARE ROW EXCLUSIVE' } }),
    },
    {
      name: 'disable trigger user',
      docs: ALTER_TABLE_DOCS,
      setup: TRIGGERS_P_R,
      sql: 'ALTER TABLE r DISABLE TRIGGER USER',
      server: () => ({ locks: { r: 'SHARE ROW EXCLUSIVE' } }),
    },
    {
      name: 'enable trigger all',
      docs: ALTER_TABLE_DOCS,
      setup: `${TRIGGERS_P_R}\nALTER TABLE r DISABLE TRIGGER ALL;`,
      sql: 'ALTER TABLE r ENABLE TRIGGER ALL',
      server: () => ({ locks: { r: 'SHARE ROW EXCLUSIVE' } }),
    },
    {
      name: 'enable always trigger',
      docs: ALTER_TABLE_DOCS,
      setup: TRIGGERS_P_R,
      sql: 'ALTER TABLE r ENABLE ALWAYS TRIGGER r_touch',
      server: () => ({ locks: { r: 'SHARE ROW EXCLUSIVE' } }),
    },
  ],
};

/**
 * A foreign table whose wrapper has no handler: it cannot be read, so nothing the statement
 * does can read rows. The wrapper and server belong to the database, not the case's schema,
 * hence the guard against a second case creating them again.
 */
const FOREIGN = `DO $$ BEGIN
  CREATE FOREIGN DATA WRAPPER fact_dummy_fdw;
  CREATE SERVER fact_dummy_server FOREIGN DATA WRAPPER fact_dummy_fdw;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
CREATE FOREIGN TABLE ft (id int, a int, b varchar(10)) SERVER fact_dummy_server;`;
const FOREIGN_DOCS = [
  docsFor('current', 'sql-alterforeigntable.html'),
  docsFor('current', 'sql-createforeigntable.html'),
];

export const foreignTables: FactGroup = {
  name: 'foreign tables: no local rows',
  cases: (
    [
      ['set not null: nothing to scan', 'ALTER FOREIGN TABLE ft ALTER COLUMN a SET NOT NULL'],
      ['alter column type: nothing to rewrite', 'ALTER FOREIGN TABLE ft ALTER COLUMN a TYPE bigint'],
      ['narrow a varchar: no value is checked', 'ALTER FOREIGN TABLE ft ALTER COLUMN b TYPE varchar(5)'],
      [
        'add column NOT NULL without default: no row to fail',
        'ALTER FOREIGN TABLE ft ADD COLUMN c int NOT NULL',
      ],
      [
        'add column with a volatile default: no rewrite',
        'ALTER FOREIGN TABLE ft ADD COLUMN c float8 DEFAULT random()',
      ],
      ['add check: not checked against rows', 'ALTER FOREIGN TABLE ft ADD CONSTRAINT ft_a_pos CHECK (a > 0)'],
      ['ALTER TABLE on a foreign table, said so', 'ALTER FOREIGN TABLE ft DROP COLUMN b'],
    ] as const
  ).map(([what, sql]): FactCase => ({
    name: what,
    docs: FOREIGN_DOCS,
    setup: FOREIGN,
    sql,
    server: () => ({
      rewritesTable: false,
      scansTable: false,
      rebuildsIndexes: false,
      buildsIndex: false,
      locks: { ft: 'ACCESS EXCLUSIVE' },
    }),
  })),
};
