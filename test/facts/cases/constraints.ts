/**
 * ADD / VALIDATE / DROP CONSTRAINT: the lock on the table and on the referenced table of a
 * foreign key, whether existing rows are checked, and whether an index is built.
 * https://www.postgresql.org/docs/current/sql-altertable.html
 */
import { ALTER_TABLE_DOCS, docsFor, TABLE_T, TABLES_P_R, type FactGroup } from '../support/fact-case.js';

/** `r_p_fk` exists, NOT VALID: VALIDATE and DROP cases start from it. */
const FK_NOT_VALID = `${TABLES_P_R}\nALTER TABLE r ADD CONSTRAINT r_p_fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;`;

export const constraints: FactGroup = {
  name: 'constraints',
  cases: [
    {
      name: 'add check: every row checked under ACCESS EXCLUSIVE',
      docs: ALTER_TABLE_DOCS,
      setup: TABLE_T,
      sql: 'ALTER TABLE t ADD CONSTRAINT t_b_pos CHECK (b > 0)',
      edge: { row: 'UPDATE t SET b = -1 WHERE id = 1' },
      server: () => ({ scansTable: true }),
    },
    {
      name: 'add check NOT VALID: no scan',
      docs: ALTER_TABLE_DOCS,
      setup: TABLE_T,
      sql: 'ALTER TABLE t ADD CONSTRAINT t_b_pos CHECK (b > 0) NOT VALID',
      edge: { row: 'UPDATE t SET b = -1 WHERE id = 1' },
      server: () => ({ scansTable: false }),
    },
    {
      name: 'add foreign key: SHARE ROW EXCLUSIVE on both tables, rows checked',
      docs: ALTER_TABLE_DOCS,
      setup: TABLES_P_R,
      sql: 'ALTER TABLE r ADD CONSTRAINT r_p_fk FOREIGN KEY (p_id) REFERENCES p (id)',
      edge: { row: 'INSERT INTO r VALUES (1000, 999)' },
      server: () => ({ scansTable: true }),
    },
    {
      name: 'add foreign key NOT VALID: no scan',
      docs: ALTER_TABLE_DOCS,
      setup: TABLES_P_R,
      sql: 'ALTER TABLE r ADD CONSTRAINT r_p_fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID',
      edge: { row: 'INSERT INTO r VALUES (1000, 999)' },
      server: () => ({ scansTable: false }),
    },
    {
      name: 'add unique: builds an index under ACCESS EXCLUSIVE',
      docs: ALTER_TABLE_DOCS,
      setup: TABLE_T,
      sql: 'ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)',
      edge: { row: `INSERT INTO t VALUES (1000, 1, 1, 'duplicate a')` },
      server: () => ({ buildsIndex: true }),
    },
    {
      name: 'add primary key on a NOT NULL column',
      docs: ALTER_TABLE_DOCS,
      setup:
        'CREATE TABLE k (id int NOT NULL, a int); INSERT INTO k SELECT g, g FROM generate_series(1, 50) g;',
      sql: 'ALTER TABLE k ADD PRIMARY KEY (id)',
      edge: { row: 'INSERT INTO k VALUES (1, 1)' },
      server: () => ({ buildsIndex: true }),
    },
    {
      name: 'add primary key on a nullable column: NOT NULL is checked too',
      docs: ALTER_TABLE_DOCS,
      setup: 'CREATE TABLE k (id int, a int); INSERT INTO k SELECT g, g FROM generate_series(1, 50) g;',
      sql: 'ALTER TABLE k ADD PRIMARY KEY (id)',
      edge: { row: 'INSERT INTO k VALUES (NULL, 1)' },
      server: () => ({ buildsIndex: true }),
    },
    {
      name: 'add exclusion constraint',
      docs: [
        ALTER_TABLE_DOCS,
        'https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-EXCLUDE',
      ],
      setup: TABLE_T,
      sql: 'ALTER TABLE t ADD CONSTRAINT t_a_excl EXCLUDE USING btree (a WITH =)',
      edge: { row: `INSERT INTO t VALUES (1000, 1, 1, 'duplicate a')` },
      server: () => ({ buildsIndex: true }),
    },
    {
      name: 'add unique USING INDEX: catalog only',
      docs: ALTER_TABLE_DOCS,
      setup: `${TABLE_T}\nCREATE UNIQUE INDEX t_a_uidx ON t (a);`,
      sql: 'ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX t_a_uidx',
      server: () => ({ buildsIndex: false }),
    },
    {
      name: 'add primary key USING INDEX on a NOT NULL column',
      docs: ALTER_TABLE_DOCS,
      setup:
        'CREATE TABLE k (id int NOT NULL); INSERT INTO k SELECT generate_series(1, 50); CREATE UNIQUE INDEX k_id_uidx ON k (id);',
      sql: 'ALTER TABLE k ADD CONSTRAINT k_pkey PRIMARY KEY USING INDEX k_id_uidx',
      server: () => ({ buildsIndex: false }),
    },
    {
      name: 'add NOT NULL constraint (18+)',
      docs: docsFor(18, 'sql-altertable.html'),
      minMajor: 18,
      setup: TABLE_T,
      sql: 'ALTER TABLE t ADD CONSTRAINT t_b_nn NOT NULL b',
      edge: { row: 'UPDATE t SET b = NULL WHERE id = 1' },
      server: () => ({ scansTable: true }),
    },
    {
      name: 'add NOT NULL constraint NOT VALID (18+)',
      docs: docsFor(18, 'sql-altertable.html'),
      minMajor: 18,
      setup: TABLE_T,
      sql: 'ALTER TABLE t ADD CONSTRAINT t_b_nn NOT NULL b NOT VALID',
      edge: { row: 'UPDATE t SET b = NULL WHERE id = 1' },
      server: () => ({ scansTable: false }),
    },
    {
      name: 'validate check: SHARE UPDATE EXCLUSIVE, rows checked',
      docs: ALTER_TABLE_DOCS,
      setup: `${TABLE_T}\nALTER TABLE t ADD CONSTRAINT t_b_pos CHECK (b > 0) NOT VALID;`,
      sql: 'ALTER TABLE t VALIDATE CONSTRAINT t_b_pos',
      server: () => ({ scansTable: true }),
    },
    {
      name: 'validate foreign key: ROW SHARE on the referenced table',
      docs: ALTER_TABLE_DOCS,
      setup: FK_NOT_VALID,
      sql: 'ALTER TABLE r VALIDATE CONSTRAINT r_p_fk',
      server: () => ({ scansTable: true }),
    },
    {
      name: 'drop check',
      docs: ALTER_TABLE_DOCS,
      setup: `${TABLE_T}\nALTER TABLE t ADD CONSTRAINT t_b_pos CHECK (b > 0);`,
      sql: 'ALTER TABLE t DROP CONSTRAINT t_b_pos',
    },
    {
      name: 'drop foreign key: the referenced table loses its triggers',
      docs: ALTER_TABLE_DOCS,
      setup: FK_NOT_VALID,
      sql: 'ALTER TABLE r DROP CONSTRAINT r_p_fk',
    },
    {
      name: 'drop unique constraint drops its index',
      docs: ALTER_TABLE_DOCS,
      setup: `${TABLE_T}\nALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a);`,
      sql: 'ALTER TABLE t DROP CONSTRAINT t_a_key',
    },
    {
      name: 'rename constraint',
      docs: ALTER_TABLE_DOCS,
      setup: `${TABLE_T}\nALTER TABLE t ADD CONSTRAINT t_b_pos CHECK (b > 0);`,
      sql: 'ALTER TABLE t RENAME CONSTRAINT t_b_pos TO t_b_positive',
    },
  ],
};
