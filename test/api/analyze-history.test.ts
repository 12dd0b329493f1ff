/**
 * A migration history is many deploys, not one: a table created by an earlier file already
 * exists (and may be large and in use) when a later file runs, so only tables created in the
 * same file, or in the same transaction by runners that batch files, are exempt as new. A new
 * table stops being empty once the migration fills it, and the server then refuses what it
 * refuses on any table with rows: checked here against PostgreSQL itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import type { MigrationFile } from '../../src/core/migration.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';

const file = (path: string, sql: string, extra: Partial<MigrationFile> = {}): MigrationFile => ({
  path,
  sql,
  transaction: 'transaction',
  ...extra,
});

const rulesOf = async (files: MigrationFile[]) => {
  const result = await analyze({ files });
  return { result, rules: result.statements.map((s) => s.findings.map((f) => f.rule)) };
};

const CREATE = 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);';
const LATER =
  'CREATE INDEX accounts_email ON accounts (email);\nALTER TABLE accounts ADD COLUMN plan text NOT NULL;';

describe('deploy units: each file is its own deploy', () => {
  it('a table created by an earlier file is judged as an existing, possibly large table', async () => {
    const { result, rules } = await rulesOf([file('001.sql', CREATE), file('002.sql', LATER)]);
    expect(rules[1]).toContain('index-create-not-concurrent');
    expect(rules[2]).toContain('add-required-column');
    // Its size is unknown, so the index build is given the time of a large table, not 0 ms.
    expect(result.statements[1]?.estimatedLockMs).toBeGreaterThan(0);
    expect(result.assumptions.join('\n')).toMatch(
      /each file is its own deploy.*public\.accounts in 001\.sql/,
    );
  });

  it('the same statements in one file are new-table statements: no findings, no lock time', async () => {
    const { result, rules } = await rulesOf([file('001.sql', `${CREATE}\n${LATER}`)]);
    expect(rules.flat()).toEqual([]);
    expect(result.statements.every((s) => s.estimatedLockMs === 0)).toBe(true);
    expect(result.assumptions.join('\n')).not.toMatch(/its own deploy/);
  });

  it('counts the same findings over a history as over its files one by one', async () => {
    const files = [
      file('001.sql', CREATE),
      file('002.sql', 'CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint);'),
      file(
        '003.sql',
        'ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);',
      ),
      file('004.sql', LATER),
    ];
    const together = (await rulesOf(files)).rules.flat().sort();
    const alone: string[] = [];
    for (const f of files) alone.push(...(await rulesOf([f])).rules.flat());
    expect(together).toEqual(alone.sort());
    expect(together.length).toBeGreaterThan(0);
  });

  it('files that a runner applies in one transaction share their new tables (drizzle)', async () => {
    const { rules } = await rulesOf([
      file('0000_a.sql', CREATE),
      file('0001_b.sql', 'CREATE INDEX accounts_email ON accounts (email);', { continuesTransaction: true }),
    ]);
    expect(rules.flat()).toEqual([]);
  });
});

describe('new tables filled by the migration', () => {
  const fill = [
    ['INSERT', 'INSERT INTO t VALUES (1), (2);'],
    ['INSERT … SELECT', 'INSERT INTO t SELECT g FROM generate_series(1, 3) g;'],
    ['COPY', 'COPY t (id) FROM stdin;'],
  ] as const;

  for (const [how, sql] of fill) {
    it(`after ${how}, ADD COLUMN … NOT NULL without default is an error`, async () => {
      const { result, rules } = await rulesOf([
        file('1.sql', `CREATE TABLE t (id int);\n${sql}\nALTER TABLE t ADD COLUMN c text NOT NULL;`),
      ]);
      expect(rules[2]).toEqual(['add-required-column']);
      expect(result.statements[2]?.findings[0]?.severity).toBe('error');
      expect(result.assumptions.join('\n')).toMatch(
        /new table filled by the migration \(public\.t at 1\.sql:2\)/,
      );
    });
  }

  it('CREATE TABLE … AS fills the table; WITH NO DATA and SELECT … INTO behave as the server does', async () => {
    const as = await rulesOf([
      file('1.sql', 'CREATE TABLE t AS SELECT 1 AS id;\nALTER TABLE t ADD COLUMN c text NOT NULL;'),
    ]);
    expect(as.rules[1]).toEqual(['add-required-column']);
    const into = await rulesOf([
      file('1.sql', 'SELECT 1 AS id INTO t;\nALTER TABLE t ADD COLUMN c text NOT NULL;'),
    ]);
    expect(into.rules[1]).toEqual(['add-required-column']);
    const noData = await rulesOf([
      file(
        '1.sql',
        'CREATE TABLE t AS SELECT 1 AS id WITH NO DATA;\nALTER TABLE t ADD COLUMN c text NOT NULL;',
      ),
    ]);
    expect(noData.rules.flat()).toEqual([]);
  });

  it('a filled new table still has no lock findings: nobody else uses it yet', async () => {
    const { rules } = await rulesOf([
      file('1.sql', 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nCREATE INDEX t_id ON t (id);'),
    ]);
    expect(rules.flat()).toEqual([]);
  });

  it('a unique index on a filled new table is checked for duplicates', async () => {
    const { rules } = await rulesOf([
      file(
        '1.sql',
        'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nCREATE UNIQUE INDEX t_id ON t (id);',
      ),
    ]);
    expect(rules[2]).toEqual(['unique-on-existing-data']);
  });
});

describePg('what the server does with a new table the migration filled', (target) => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase(target);
  });
  afterAll(async () => {
    await db?.drop();
  });

  // https://www.postgresql.org/docs/current/sql-altertable.html: "ADD COLUMN … NOT NULL" with no
  // default fills the column with NULL and so fails on a table that has rows (23502).
  it('refuses ADD COLUMN NOT NULL after INSERT, and accepts it WITH NO DATA, as analyze says', async () => {
    const cases = [
      {
        setup: 'CREATE TABLE t1 (id int); INSERT INTO t1 VALUES (1);',
        alter: 'ALTER TABLE t1 ADD COLUMN c text NOT NULL',
      },
      { setup: 'CREATE TABLE t2 AS SELECT 1 AS id;', alter: 'ALTER TABLE t2 ADD COLUMN c text NOT NULL' },
      { setup: 'SELECT 1 AS id INTO t3;', alter: 'ALTER TABLE t3 ADD COLUMN c text NOT NULL' },
      {
        setup: 'CREATE TABLE t4 AS SELECT 1 AS id WITH NO DATA;',
        alter: 'ALTER TABLE t4 ADD COLUMN c text NOT NULL',
      },
    ];
    for (const c of cases) {
      const predicted = (await rulesOf([file('1.sql', `${c.setup}\n${c.alter};`)])).rules
        .flat()
        .includes('add-required-column');
      await db.client.query(c.setup);
      const refused = await db.client.query(c.alter).then(
        () => false,
        (error: { code?: string }) => {
          expect(error.code).toBe('23502');
          return true;
        },
      );
      expect({ sql: c.alter, predicted }).toEqual({ sql: c.alter, predicted: refused });
    }
  });
});
