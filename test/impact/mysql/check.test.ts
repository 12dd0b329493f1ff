/**
 * Cross-service impact on MariaDB through the library (impactOnScratch, as `impact`, `check
 * --service` and the fleet run it): the fixture services (mysql2 in TypeScript, PyMySQL in
 * Python, test/fixtures/mysql/impact) extracted from their code and their queries prepared on
 * --dev-url scratch databases before and after each step of the plan for
 * `ALTER TABLE items DROP COLUMN title`. Every break is confirmed on its own: the query run on
 * a database where the migration was applied fails with the same error number, and runs before it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { impactOnScratch } from '../../../src/api/impact.js';
import { plan as planMigration } from '../../../src/api/plan.js';
import type { ImpactResult } from '../../../src/core/impact.js';
import type { ScratchServer } from '../../../src/core/dialect/scratch.js';
import type { MigrationFile } from '../../../src/core/migration.js';
import type { Plan } from '../../../src/core/plan.js';
import { preparableStatements } from '../../../src/dialects/mysql/impact/statements.js';
import { mysqlDialect } from '../../../src/dialects/mysql/index.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { createTempDatabase, describeMysql, type TempDatabase } from '../../dialects/mysql/support.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/mysql/impact');
const SCHEMA = readFileSync(join(FIXTURES, 'schema.sql'), 'utf8')
  .split(';')
  .map((s) => s.trim())
  .filter((s) => s !== '');
const MIGRATION = readFileSync(join(FIXTURES, 'migration.sql'), 'utf8');

describeMysql('impact on MariaDB', (serverUrl) => {
  let source: TempDatabase;
  let migrated: TempDatabase;
  let scratch: ScratchServer;
  let plan: Plan;
  let files: MigrationFile[];
  let result: ImpactResult;
  let qualified: string;
  const created: string[] = [];

  const listed = (service: string) =>
    result.affected_services.find((s) => s.service === service)?.queries ?? [];
  const summary = (service: string) => result.services.find((s) => s.service === service);
  /** The error number when `sql` (an extracted query, parameters NULL) runs on `url`, rolled back; null when it runs. */
  const errnoOf = async (url: string, sql: string): Promise<string | null> => {
    const split = preparableStatements(sql);
    if ('notCheckable' in split) throw new Error(split.notCheckable);
    const statement = split.statements[0] ?? '';
    const connection = await mysql.createConnection({ uri: url });
    try {
      await connection.query('START TRANSACTION');
      const parameters = (statement.match(/\?/g) ?? []).map(() => null);
      await connection.execute(statement, parameters);
      return null;
    } catch (error) {
      return String((error as { errno?: number }).errno);
    } finally {
      await connection.query('ROLLBACK').catch(() => undefined);
      await connection.end();
    }
  };

  beforeAll(async () => {
    source = await createTempDatabase(serverUrl, SCHEMA);
    migrated = await createTempDatabase(serverUrl, [...SCHEMA, MIGRATION]);
    const snapshot = await mysqlDialect.driver!.inspect(source.url);
    files = [inlineMigration('migration.sql', MIGRATION, null, mysqlDialect)];
    plan = await planMigration({ files, snapshot, dialect: mysqlDialect });
    // A service naming the target's database (retargeted to the scratch copy) and another one.
    qualified = mkdtempSync(join(tmpdir(), 'schemapilot-mysql-impact-'));
    writeFileSync(
      join(qualified, 'report.ts'),
      [
        "import mysql from 'mysql2/promise';",
        'const pool = mysql.createPool({});',
        `export const titles = () => pool.query('SELECT id, title FROM ${source.name}.items');`,
        "export const users = () => pool.query('SELECT User FROM mysql.user');",
        '',
      ].join('\n'),
    );
    const server = await mysqlDialect.scratch!.open({ major: null, devUrl: serverUrl });
    scratch = {
      ...server,
      createDatabase: async (template) => {
        const db = await server.createDatabase(template);
        created.push(db.name);
        return db;
      },
      close: () => server.close(),
    };
    result = await impactOnScratch({
      dialect: mysqlDialect,
      schema: { kind: 'snapshot', snapshot },
      plan,
      files,
      scratch,
      services: [
        { name: 'shop-ts', path: join(FIXTURES, 'shop-ts') },
        { name: 'shop-py', path: join(FIXTURES, 'shop-py') },
        { name: 'report', path: qualified },
      ],
    });
  });
  afterAll(async () => {
    await scratch?.close();
    await source?.drop();
    await migrated?.drop();
    if (qualified) rmSync(qualified, { recursive: true, force: true });
  });

  it('lists the queries the migration breaks, at the step that drops the column, with the error number', async () => {
    const drop = plan.steps.find((s) => s.sql.some((sql) => /DROP COLUMN/i.test(sql)));
    expect(drop).toBeDefined();
    const broken = (service: string) =>
      listed(service)
        .filter((q) => q.status === 'broken')
        .map((q) => [`${q.file}:${q.line}:${q.column}`, q.breaksAt, q.error?.code, q.error?.message]);
    const title = "Unknown column 'title' in 'SELECT'";
    expect(broken('shop-ts')).toEqual([['src/items.ts:7:36', drop?.id, '1054', title]]);
    expect(broken('shop-py')).toEqual([['shop/items.py:9:25', drop?.id, '1054', title]]);
    // Written with the target's database name: compiled on the scratch copy all the same.
    expect(broken('report')).toEqual([['report.ts:3:41', drop?.id, '1054', title]]);
    for (const q of result.affected_services.flatMap((s) => s.queries.filter((x) => x.status === 'broken'))) {
      const sql = q.sql.replace(`${source.name}.`, '');
      expect(await errnoOf(migrated.url, sql), q.sql).toBe(q.error?.code);
      expect(await errnoOf(source.url, sql), q.sql).toBeNull();
    }
  });

  it('lists no query that keeps working', () => {
    const places = result.affected_services.flatMap((s) =>
      s.queries.map((q) => `${s.service}:${q.file}:${q.line}`),
    );
    // IN ? (mysql2 array, PyMySQL tuple), mysql2 execute, '$1' in a string, named %(x)s parameters.
    for (const fine of [
      'shop-ts:src/items.ts:13',
      'shop-ts:src/items.ts:19',
      'shop-ts:src/items.ts:24',
      'shop-py:shop/items.py:17',
      'shop-py:shop/items.py:26',
    ])
      expect(places).not.toContain(fine);
    // Found 7: one already broken and one not checkable are not counted as checked.
    expect(summary('shop-ts')).toMatchObject({ queriesFound: 7, queriesChecked: 5 });
    expect(summary('shop-py')).toMatchObject({ queriesFound: 3, queriesChecked: 3 });
  });

  it('does not blame the migration for a query already broken before it', () => {
    expect(summary('shop-ts')?.alreadyBroken).toEqual([
      {
        file: 'src/items.ts',
        line: 30,
        sql: 'SELECT nickname FROM items WHERE id = $1',
        error: { code: '1054', message: "Unknown column 'nickname' in 'SELECT'" },
      },
    ]);
    expect(listed('shop-ts').map((q) => q.line)).not.toContain(30);
  });

  it('reports SELECT * over the changed table as "may break", named as the migration names it', () => {
    const star = listed('shop-ts').filter((q) => q.status === 'may break');
    expect(star.map((q) => [q.line, q.reason])).toEqual([
      [36, `the query returns * from ${source.name}.items, whose columns change (title is dropped)`],
    ]);
  });

  it('lists what it cannot compile apart, with why', () => {
    expect(summary('shop-ts')?.notCheckable).toEqual([
      {
        file: 'src/items.ts',
        line: 42,
        reason: '`SET ?`: the driver expands an object into column = value pairs, which only the values name',
      },
    ]);
    expect(summary('report')?.notCheckable).toEqual([
      {
        file: 'report.ts',
        line: 4,
        reason:
          "it names the database `mysql`, which is not the migration's: it is not compiled against a database the migration does not change",
      },
    ]);
    expect(result.warnings).toBeUndefined();
  });

  it('leaves no scratch database behind', async () => {
    expect(created).toHaveLength(2);
    const connection = await mysql.createConnection({ uri: serverUrl });
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?)',
        [created],
      );
      expect(rows).toEqual([]);
    } finally {
      await connection.end();
    }
  });
});
