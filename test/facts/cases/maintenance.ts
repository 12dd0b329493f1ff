/** VACUUM, ANALYZE, CLUSTER, TRUNCATE, DML, triggers and the other ALTER TABLE forms. */
import { ALTER_TABLE_DOCS, docsFor, TABLE_T, type FactGroup } from '../support/fact-case.js';

/** The run's tablespace (created by the suite, in place); the runner puts its name here. */
export const TABLESPACE = '$TABLESPACE';

const TRIGGER_FUNCTION = `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;`;
const TRIGGER_T = `${TABLE_T}\n${TRIGGER_FUNCTION}
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE PROCEDURE touch();`;
const INDEXED_T = `${TABLE_T}\nCREATE INDEX t_b_idx ON t (b);`;

export const maintenance: FactGroup = {
  name: 'vacuum, analyze, cluster, truncate',
  cases: [
    {
      name: 'vacuum full: rewrites under ACCESS EXCLUSIVE',
      docs: docsFor('current', 'sql-vacuum.html'),
      setup: INDEXED_T,
      sql: 'VACUUM FULL t',
      blockers: ['LOCK TABLE t IN ACCESS SHARE MODE'],
      server: () => ({ transactional: false, rewritesTable: true, rebuildsIndexes: true }),
    },
    {
      name: 'vacuum: SHARE UPDATE EXCLUSIVE, outside a transaction block',
      docs: docsFor('current', 'sql-vacuum.html'),
      setup: TABLE_T,
      sql: 'VACUUM t',
      blockers: ['LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE'],
      server: () => ({ transactional: false, rewritesTable: false }),
    },
    {
      name: 'analyze: a sample of rows, in a transaction block if need be',
      docs: docsFor('current', 'sql-analyze.html'),
      setup: TABLE_T,
      sql: 'ANALYZE t',
      server: () => ({ transactional: true }),
    },
    {
      name: 'cluster: rewrites in index order under ACCESS EXCLUSIVE',
      docs: docsFor('current', 'sql-cluster.html'),
      setup: INDEXED_T,
      sql: 'CLUSTER t USING t_b_idx',
      server: () => ({ rewritesTable: true, rebuildsIndexes: true }),
    },
    {
      name: 'truncate: new, empty files, no row copied (not a rewrite)',
      docs: docsFor('current', 'sql-truncate.html'),
      setup: INDEXED_T,
      sql: 'TRUNCATE t',
      server: () => ({ emptiesTable: true, rewritesTable: false, rebuildsIndexes: false, scansTable: false }),
    },
  ],
};

export const dml: FactGroup = {
  name: 'dml',
  cases: [
    {
      name: 'insert: ROW EXCLUSIVE, no scan',
      docs: docsFor('current', 'explicit-locking.html#LOCKING-TABLES'),
      setup: TABLE_T,
      sql: 'INSERT INTO t (id, a) VALUES (1000, 1)',
    },
    {
      name: 'update every row',
      docs: docsFor('current', 'explicit-locking.html#LOCKING-TABLES'),
      setup: TABLE_T,
      sql: 'UPDATE t SET b = b + 1',
      server: () => ({ scansTable: true }),
    },
    {
      name: 'delete every row',
      docs: docsFor('current', 'explicit-locking.html#LOCKING-TABLES'),
      setup: TABLE_T,
      sql: 'DELETE FROM t',
      server: () => ({ scansTable: true }),
    },
  ],
};

export const comments: FactGroup = {
  name: 'comments',
  cases: [
    {
      name: 'comment on table: SHARE UPDATE EXCLUSIVE',
      docs: docsFor('current', 'sql-comment.html'),
      setup: TABLE_T,
      sql: "COMMENT ON TABLE t IS 'people'",
    },
    {
      name: 'comment on column: SHARE UPDATE EXCLUSIVE on its table',
      docs: docsFor('current', 'sql-comment.html'),
      setup: TABLE_T,
      sql: "COMMENT ON COLUMN t.c IS 'free text'",
    },
  ],
};

export const triggers: FactGroup = {
  name: 'triggers',
  cases: [
    {
      name: 'create trigger: SHARE ROW EXCLUSIVE',
      docs: docsFor('current', 'sql-createtrigger.html'),
      setup: `${TABLE_T}\n${TRIGGER_FUNCTION}`,
      sql: 'CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE PROCEDURE touch()',
    },
    {
      name: 'drop trigger',
      docs: docsFor('current', 'sql-droptrigger.html'),
      setup: TRIGGER_T,
      sql: 'DROP TRIGGER t_touch ON t',
    },
    {
      name: 'disable trigger',
      docs: ALTER_TABLE_DOCS,
      setup: TRIGGER_T,
      sql: 'ALTER TABLE t DISABLE TRIGGER t_touch',
    },
    {
      name: 'enable trigger',
      docs: ALTER_TABLE_DOCS,
      setup: `${TRIGGER_T}\nALTER TABLE t DISABLE TRIGGER t_touch;`,
      sql: 'ALTER TABLE t ENABLE TRIGGER t_touch',
    },
  ],
};

export const alterTableOther: FactGroup = {
  name: 'alter table: storage and options',
  cases: [
    {
      name: 'set tablespace: the table is copied, its indexes stay',
      docs: ALTER_TABLE_DOCS,
      setup: INDEXED_T,
      sql: `ALTER TABLE t SET TABLESPACE ${TABLESPACE}`,
      server: () => ({ rewritesTable: true, rebuildsIndexes: false }),
    },
    {
      name: 'set unlogged: table and indexes rewritten',
      docs: ALTER_TABLE_DOCS,
      setup: INDEXED_T,
      sql: 'ALTER TABLE t SET UNLOGGED',
      server: () => ({ rewritesTable: true, rebuildsIndexes: true }),
    },
    {
      name: 'set logged',
      docs: ALTER_TABLE_DOCS,
      setup: `${INDEXED_T}\nALTER TABLE t SET UNLOGGED;`,
      sql: 'ALTER TABLE t SET LOGGED',
      server: () => ({ rewritesTable: true }),
    },
    {
      name: 'set statistics: SHARE UPDATE EXCLUSIVE',
      docs: ALTER_TABLE_DOCS,
      setup: TABLE_T,
      sql: 'ALTER TABLE t ALTER COLUMN b SET STATISTICS 500',
    },
    {
      name: 'set column options (n_distinct)',
      docs: ALTER_TABLE_DOCS,
      setup: TABLE_T,
      sql: 'ALTER TABLE t ALTER COLUMN b SET (n_distinct = 100)',
    },
    {
      name: 'set storage',
      docs: ALTER_TABLE_DOCS,
      setup: TABLE_T,
      sql: 'ALTER TABLE t ALTER COLUMN c SET STORAGE EXTERNAL',
    },
    {
      name: 'set fillfactor',
      docs: ALTER_TABLE_DOCS,
      setup: TABLE_T,
      sql: 'ALTER TABLE t SET (fillfactor = 70)',
      server: () => ({ rewritesTable: false }),
    },
    {
      name: 'set autovacuum options',
      docs: ALTER_TABLE_DOCS,
      setup: TABLE_T,
      sql: 'ALTER TABLE t SET (autovacuum_enabled = false, autovacuum_vacuum_scale_factor = 0.01)',
    },
    {
      name: 'reset fillfactor',
      docs: ALTER_TABLE_DOCS,
      setup: `${TABLE_T}\nALTER TABLE t SET (fillfactor = 70);`,
      sql: 'ALTER TABLE t RESET (fillfactor)',
    },
    {
      name: 'cluster on',
      docs: ALTER_TABLE_DOCS,
      setup: INDEXED_T,
      sql: 'ALTER TABLE t CLUSTER ON t_b_idx',
    },
    {
      name: 'replica identity full',
      docs: ALTER_TABLE_DOCS,
      setup: TABLE_T,
      sql: 'ALTER TABLE t REPLICA IDENTITY FULL',
    },
  ],
};
