/**
 * MySQL 8.0/8.4 answers follow the reference manual's online DDL tables (no MySQL server is
 * installable here, so these are `documented-only`). Each expectation restates the table row it
 * comes from: https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html
 * (columns: Instant, In Place, Rebuilds Table, Permits Concurrent DML). "—" marks rows whose
 * "Instant" column is No.
 */
import { describe, expect, it } from 'vitest';
import { answer, snapshot, type Answer } from './fixture.js';

const MYSQL = '8.0.35';
const users = 'shop.users';

async function on(version: string, sql: string, users: Parameters<typeof snapshot>[1] = {}): Promise<Answer> {
  return answer(snapshot(version, users), sql);
}

function expectRow(a: Answer, row: { algorithm: string; rebuilds: boolean; concurrentDml: boolean }): void {
  expect(a.algorithm).toBe(row.algorithm);
  expect(a.rewritesTable).toBe(row.rebuilds);
  expect(a.blocksWrites).toBe(!row.concurrentDml);
  expect(a.evidence).toBe('documented-only');
}

describe('MySQL 8 facts follow the manual', () => {
  it('Column Operations: "Adding a column" Instant Yes* (8.0.12+, anywhere from 8.0.29), else In Place, Rebuilds', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users ADD COLUMN d int'), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users ADD COLUMN d int FIRST'), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
    // 8.0.12–8.0.28: instant only as the last column.
    expectRow(await on('8.0.28', 'ALTER TABLE users ADD COLUMN d int'), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
    expectRow(await on('8.0.28', 'ALTER TABLE users ADD COLUMN d int FIRST'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
    expectRow(await on('8.0.11', 'ALTER TABLE users ADD COLUMN d int'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
    // "ALGORITHM=INPLACE" on an instant ADD COLUMN rebuilds (MySQL runs the algorithm named).
    expectRow(await on(MYSQL, 'ALTER TABLE users ADD COLUMN d int, ALGORITHM=INPLACE'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
    // The 64 row versions limit (INNODB_TABLES.TOTAL_ROW_VERSIONS) is said.
    const a = await on(MYSQL, 'ALTER TABLE users ADD COLUMN d int');
    expect(a.facts[0]?.notes.join(' ')).toMatch(/64/);
  });
  it('Column Operations: "Adding a column" not instant with a FULLTEXT index; AUTO_INCREMENT permits no concurrent DML', async () => {
    const fulltext = {
      indexes: [
        {
          ...snapshot(MYSQL).tables[0]!.indexes[0]!,
          name: 'ft',
          columns: ['body'],
          method: 'fulltext',
          primary: false,
          unique: false,
        },
      ],
    };
    expectRow(await on(MYSQL, 'ALTER TABLE users ADD COLUMN d int', fulltext), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
    const ai = await on(MYSQL, 'ALTER TABLE users ADD COLUMN seq bigint AUTO_INCREMENT UNIQUE', {
      primaryKey: null,
      indexes: [],
    });
    expect(ai.blocksWrites).toBe(true);
  });
  it('"Dropping a column": Instant Yes* (8.0.29+), In Place Yes, Rebuilds Yes', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users DROP COLUMN c'), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
    expectRow(await on('8.0.28', 'ALTER TABLE users DROP COLUMN c'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
  });
  it('"Renaming a column": Instant Yes* (8.0.28+), In Place Yes, Rebuilds No', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users RENAME COLUMN c TO c2'), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
    expectRow(await on('8.0.27', 'ALTER TABLE users RENAME COLUMN c TO c2'), {
      algorithm: 'INPLACE',
      rebuilds: false,
      concurrentDml: true,
    });
  });
  it('"Reordering columns": — In Place Yes, Rebuilds Yes, Concurrent DML Yes', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users MODIFY c int(11) AFTER v'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
  });
  it('"Setting/Dropping the column default value": Instant Yes', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users ALTER COLUMN c SET DEFAULT 3'), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users ALTER COLUMN n DROP DEFAULT'), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
  });
  it('"Changing the column data type": — In Place No, Rebuilds Yes, Concurrent DML No', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users MODIFY c bigint'), {
      algorithm: 'COPY',
      rebuilds: true,
      concurrentDml: false,
    });
  });
  it('"Extending VARCHAR column size": — In Place Yes, Rebuilds No, while the length bytes stay the same', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users MODIFY v varchar(60)'), {
      algorithm: 'INPLACE',
      rebuilds: false,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users MODIFY v varchar(100)'), {
      algorithm: 'COPY',
      rebuilds: true,
      concurrentDml: false,
    });
    // No 127-byte exception on MySQL (MariaDB widens utf8mb4 31 → 100 chars instantly).
    expectRow(await on(MYSQL, 'ALTER TABLE users MODIFY s31 varchar(100)'), {
      algorithm: 'COPY',
      rebuilds: true,
      concurrentDml: false,
    });
  });
  it('"Making a column NULL / NOT NULL": — In Place Yes, Rebuilds Yes', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users MODIFY n int(11) NULL DEFAULT 0'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users MODIFY c int(11) NOT NULL'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
  });
  it('"Modifying the definition of an ENUM or SET column": Instant Yes (members added at the end)', async () => {
    expectRow(await on(MYSQL, "ALTER TABLE users MODIFY e enum('a','b','c','d')"), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
  });
  it('Generated Column Operations: "Adding a STORED column" In Place No; "Adding a VIRTUAL column" Instant Yes', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users ADD COLUMN g int AS (c + 1) STORED'), {
      algorithm: 'COPY',
      rebuilds: true,
      concurrentDml: false,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users ADD COLUMN g int AS (c + 1) VIRTUAL'), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
  });
  it('Index Operations: secondary index, drop, rename In Place without rebuild; FULLTEXT and SPATIAL permit no concurrent DML', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users ADD INDEX u_c (c)'), {
      algorithm: 'INPLACE',
      rebuilds: false,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'CREATE INDEX u_c ON users (c)'), {
      algorithm: 'INPLACE',
      rebuilds: false,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'DROP INDEX `PRIMARY` ON users'), {
      algorithm: 'COPY',
      rebuilds: true,
      concurrentDml: false,
    });
    // "Adding a FULLTEXT index": the first one rebuilds (no FTS_DOC_ID column yet).
    expectRow(await on(MYSQL, 'ALTER TABLE users ADD FULLTEXT INDEX u_body (body)'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: false,
    });
  });
  it('Primary Key Operations: adding In Place Rebuilds; dropping alone In Place No; dropping and adding In Place', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users DROP PRIMARY KEY'), {
      algorithm: 'COPY',
      rebuilds: true,
      concurrentDml: false,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users DROP PRIMARY KEY, ADD PRIMARY KEY (id, n)'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
  });
  it('Foreign Key Operations: "INPLACE only when foreign_key_checks is disabled", else COPY', async () => {
    const add = 'ALTER TABLE users ADD CONSTRAINT u_org FOREIGN KEY (org_id) REFERENCES orgs (id)';
    const on1 = await on(MYSQL, add);
    expectRow(on1, { algorithm: 'COPY', rebuilds: true, concurrentDml: false });
    expect(on1.locks).toContainEqual({ table: 'shop.orgs', mode: 'SHARED_NO_WRITE' });
    expectRow(await on(MYSQL, `SET foreign_key_checks = 0;\n${add}`), {
      algorithm: 'INPLACE',
      rebuilds: false,
      concurrentDml: true,
    });
    expectRow(
      await on(MYSQL, 'ALTER TABLE users DROP FOREIGN KEY u_org', {
        foreignKeys: [
          {
            name: 'u_org',
            columns: ['org_id'],
            referencedSchema: 'shop',
            referencedTable: 'orgs',
            referencedColumns: ['id'],
            onUpdate: 'NO ACTION',
            onDelete: 'NO ACTION',
            match: 'SIMPLE',
            deferrable: false,
            validated: true,
          },
        ],
      }),
      {
        algorithm: 'INPLACE',
        rebuilds: false,
        concurrentDml: true,
      },
    );
  });
  it('Table Operations: ROW_FORMAT, null rebuild, OPTIMIZE In Place Rebuilds; converting a character set In Place No; renaming Instant', async () => {
    expectRow(await on(MYSQL, 'ALTER TABLE users ROW_FORMAT=COMPRESSED'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users ENGINE=InnoDB'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'OPTIMIZE TABLE users'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4'), {
      algorithm: 'COPY',
      rebuilds: true,
      concurrentDml: false,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users DEFAULT CHARSET = latin1'), {
      algorithm: 'INPLACE',
      rebuilds: true,
      concurrentDml: true,
    });
    expectRow(await on(MYSQL, 'ALTER TABLE users RENAME TO people'), {
      algorithm: 'INSTANT',
      rebuilds: false,
      concurrentDml: true,
    });
  });
  it('ALGORITHM=INSTANT where the manual says Instant No: the statement fails', async () => {
    const a = await on(MYSQL, 'ALTER TABLE users MODIFY c bigint, ALGORITHM=INSTANT');
    expect(a.facts[0]?.notes[0]).toMatch(/^fails: ALGORITHM=INSTANT is refused/);
    expect(a.rewritesTable).toBe(false);
  });
  it('a MySQL answer is documented-only; a MariaDB answer for the same SQL is server-verified', async () => {
    expect((await on(MYSQL, 'ALTER TABLE users ADD COLUMN d int')).evidence).toBe('documented-only');
    expect((await on('10.11.6-MariaDB', 'ALTER TABLE users ADD COLUMN d int')).evidence).toBe(
      'server-verified',
    );
    expect((await on(MYSQL, 'ALTER TABLE users ADD COLUMN d int')).locks).toEqual([
      { table: users, mode: 'EXCLUSIVE' },
    ]);
  });
  it('MariaDB 11.2+ copies online (LOCK=NONE for COPY): documented-only', async () => {
    const a = await on('11.4.2-MariaDB', 'ALTER TABLE users MODIFY c bigint');
    expect(a).toMatchObject({
      algorithm: 'COPY',
      rewritesTable: true,
      blocksWrites: false,
      evidence: 'documented-only',
    });
    expect(a.locks).toEqual([{ table: users, mode: 'SHARED_UPGRADABLE' }]);
  });
});
