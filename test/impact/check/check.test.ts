/**
 * checkImpact() on the real server, with the target as the --dev-url scratch server: which of
 * the services' queries the brief's migration breaks, at which plan step, with which SQLSTATE.
 * Every expected break is confirmed on its own: the query run on a database where the
 * migration was applied as written gives the same SQLSTATE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import { plan as planMigration } from '../../../src/api/plan.js';
import type { ImpactResult } from '../../../src/core/impact.js';
import type { MigrationFile } from '../../../src/core/migration.js';
import type { Plan } from '../../../src/core/plan.js';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import { postgresDialect } from '../../../src/dialects/postgres/index.js';
import { inspectPostgres } from '../../../src/dialects/postgres/introspect.js';
import { openScratchServer, type ScratchServer } from '../../../src/dialects/postgres/scratch/scratch.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { checkImpact } from '../../../src/impact/check.js';
import { createTempDatabase, describePg, withClient, type TempDatabase } from '../../support/pg.js';
import { recording, SCHEMA, service, sqlstateOf } from './support.js';

const MIGRATION = `ALTER TABLE users RENAME COLUMN name TO full_name;
ALTER TABLE orders DROP COLUMN note;
ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';`;

const billing = service('billing', 'typescript', [
  { file: 'src/users.ts', line: 12, sql: 'SELECT id, name FROM users WHERE id = $1' },
  { file: 'src/users.ts', line: 30, sql: 'SELECT name FROM users WHERE $1 IS NULL OR id = $2' },
  { file: 'src/orders.ts', line: 8, sql: 'SELECT o.note FROM orders o WHERE o.user_id = $1' },
  { file: 'src/orders.ts', line: 20, sql: 'INSERT INTO orders (id, user_id, note) VALUES ($1, $2, $3)' },
  { file: 'src/orders.ts', line: 40, sql: 'SELECT * FROM orders WHERE id = $1' },
  // Alike but fine: another table's name, a CTE alias, an alias-qualified column of another table.
  { file: 'src/teams.ts', line: 3, sql: 'SELECT name FROM teams WHERE id = $1' },
  {
    file: 'src/teams.ts',
    line: 9,
    sql: 'WITH name AS (SELECT email AS name FROM users) SELECT name FROM name',
  },
  { file: 'src/teams.ts', line: 15, sql: 'SELECT t.name, u.email FROM teams t JOIN users u ON u.id = t.id' },
  { file: 'src/orders.ts', line: 60, sql: 'INSERT INTO orders (id, user_id, total) VALUES ($1, $2, $3)' },
  // Untyped parameters: the server cannot infer $1 (42P18), which is not a break.
  { file: 'src/search.ts', line: 5, sql: 'SELECT email FROM users WHERE $1 IS NULL AND $2 IS NULL' },
  // Already broken: not blamed on the migration.
  { file: 'src/legacy.ts', line: 2, sql: 'SELECT nickname FROM users' },
  { file: 'src/admin.ts', line: 7, sql: 'TRUNCATE orders' },
]);
const crm = service('crm', 'python', [
  // The same query as billing's, written on two lines: prepared once, reported for both.
  { file: 'app/db.py', line: 4, sql: 'SELECT id, name\n  FROM users WHERE id = $1' },
  { file: 'app/db.py', line: 9, sql: 'UPDATE users SET name = $1 WHERE id = $2' },
]);

describePg('checkImpact', (target) => {
  let source: TempDatabase;
  let migrated: TempDatabase;
  let snapshot: SchemaSnapshot;
  let scratch: ScratchServer;
  let files: MigrationFile[];
  let plan: Plan;
  let result: ImpactResult;
  let created: string[];

  const stepWith = (text: string) => {
    const step = plan.steps.find((s) => s.sql.some((sql) => sql.includes(text)));
    if (!step) throw new Error(`no plan step runs ${text}`);
    return step.id;
  };
  const listed = (serviceName: string) =>
    result.affected_services.find((s) => s.service === serviceName)?.queries ?? [];

  beforeAll(async () => {
    source = await createTempDatabase(target, SCHEMA);
    migrated = await createTempDatabase(target, `${SCHEMA}\n${MIGRATION}`);
    snapshot = await inspectPostgres(source.url);
    scratch = await openScratchServer({ major: target.major, devUrl: target.url });
    files = [inlineMigration('change.sql', MIGRATION, null)];
    plan = await planMigration({ files, snapshot });
    const changes = (await analyze({ files, snapshot })).statements.flatMap((s) => s.changes);
    const spy = recording(scratch);
    created = spy.created;
    result = await checkImpact({
      dialect: postgresDialect,
      scratch: spy.server,
      schema: { kind: 'snapshot', snapshot },
      plan,
      original: files,
      changes,
      services: [billing, crm],
    });
  });
  afterAll(async () => {
    await scratch?.close();
    await source?.drop();
    await migrated?.drop();
  });

  it('lists the broken queries with the step that breaks them and the server error', async () => {
    const dropName = stepWith('DROP COLUMN name');
    const dropNote = stepWith('DROP COLUMN note');
    const broken = (serviceName: string) =>
      listed(serviceName)
        .filter((q) => q.status === 'broken')
        .map((q) => [q.file, q.line, q.breaksAt, q.error?.code]);
    expect(broken('billing')).toEqual([
      ['src/orders.ts', 8, dropNote, '42703'],
      ['src/orders.ts', 20, dropNote, '42703'],
      ['src/users.ts', 12, dropName, '42703'],
      ['src/users.ts', 30, dropName, '42703'],
    ]);
    expect(broken('crm')).toEqual([
      ['app/db.py', 4, dropName, '42703'],
      ['app/db.py', 9, dropName, '42703'],
    ]);
    expect(listed('billing').find((q) => q.line === 12)?.error?.message).toBe('column "name" does not exist');
    // The witness: each broken query fails the same way on the migrated database.
    for (const q of [...billing.queries, ...crm.queries]) {
      const entry = [...listed('billing'), ...listed('crm')].find(
        (e) => e.file === q.file && e.line === q.line,
      );
      if (entry?.status !== 'broken') continue;
      expect(await sqlstateOf(migrated.url, q.sql, q.parameters), q.sql).toBe(entry.error?.code);
      expect(await sqlstateOf(source.url, q.sql, q.parameters), q.sql).not.toBe(entry.error?.code);
    }
  });

  it('reports SELECT * over a table whose columns change as "may break", at the step that changes them', async () => {
    const star = listed('billing').filter((q) => q.status === 'may break');
    expect(star.map((q) => [q.file, q.line, q.breaksAt])).toEqual([
      ['src/orders.ts', 40, stepWith('ADD COLUMN currency')],
    ]);
    expect(star[0]?.reason).toMatch(/returns \* from public\.orders, whose columns change/);
    const columns = async (url: string) =>
      withClient(url, async (c) => (await c.query('SELECT * FROM orders LIMIT 0')).fields.map((f) => f.name));
    expect(await columns(migrated.url)).not.toEqual(await columns(source.url));
  });

  it('lists no query that still works', () => {
    const places = result.affected_services.flatMap((s) => s.queries.map((q) => `${q.file}:${q.line}`));
    for (const fine of [
      'src/teams.ts:3',
      'src/teams.ts:9',
      'src/teams.ts:15',
      'src/orders.ts:60',
      'src/search.ts:5',
    ])
      expect(places).not.toContain(fine);
  });

  it('keeps already-broken and not-checkable queries apart, and counts what was checked', () => {
    const summary = result.services.find((s) => s.service === 'billing');
    expect(summary?.alreadyBroken).toEqual([
      {
        file: 'src/legacy.ts',
        line: 2,
        sql: 'SELECT nickname FROM users',
        error: { code: '42703', message: 'column "nickname" does not exist' },
      },
    ]);
    expect(summary?.notCheckable?.map((q) => `${q.file}:${q.line}`)).toEqual(['src/admin.ts:7']);
    expect(summary).toMatchObject({ queriesFound: 12, queriesChecked: 10, filesScanned: 6 });
    expect(result.services.find((s) => s.service === 'crm')).toMatchObject({
      queriesFound: 2,
      queriesChecked: 2,
    });
    expect(result.warnings).toBeUndefined();
  });

  it('leaves nothing on the scratch server', async () => {
    expect(created.length).toBe(2);
    const rows = await withClient(
      target.url,
      async (c) =>
        (
          await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [
            created,
          ])
        ).rows,
    );
    expect(rows).toEqual([]);
  });

  describe('without the contract steps', () => {
    it('blames the migration as written for what only it breaks', async () => {
      const expandOnly = { ...plan, steps: plan.steps.filter((s) => s.phase !== 'contract') };
      const partial = await checkImpact({
        dialect: postgresDialect,
        scratch,
        schema: { kind: 'snapshot', snapshot },
        plan: expandOnly,
        original: files,
        changes: [],
        services: [crm],
      });
      expect(partial.affected_services[0]?.queries.map((q) => [q.line, q.breaksAt, q.error?.code])).toEqual([
        [4, 'as written', '42703'],
        [9, 'as written', '42703'],
      ]);
    });
  });
});
