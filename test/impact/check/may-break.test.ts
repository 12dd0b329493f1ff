/**
 * Breaks PREPARE cannot see: an INSERT that omits a column which becomes NOT NULL without a
 * default. The query still compiles after the migration; the server refuses the row when it
 * runs, which the test confirms on a database migrated as written.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyze } from '../../../src/api/analyze.js';
import { plan as planMigration } from '../../../src/api/plan.js';
import { postgresDialect } from '../../../src/dialects/postgres/index.js';
import { inspectPostgres } from '../../../src/dialects/postgres/introspect.js';
import { openScratchServer, type ScratchServer } from '../../../src/dialects/postgres/scratch/scratch.js';
import { inlineMigration } from '../../../src/formats/read.js';
import { checkImpact } from '../../../src/impact/check.js';
import { createTempDatabase, describePg, type TempDatabase } from '../../support/pg.js';
import { SCHEMA, service, sqlstateOf } from './support.js';

const MIGRATION = 'ALTER TABLE users ALTER COLUMN created_at SET NOT NULL;';
const queries = [
  { file: 'src/signup.ts', line: 3, sql: 'INSERT INTO users (id, email) VALUES ($1, $2)' },
  { file: 'src/signup.ts', line: 9, sql: 'INSERT INTO users (id, email, created_at) VALUES ($1, $2, now())' },
  // Another table's insert that omits a created_at it does not have.
  { file: 'src/teams.ts', line: 4, sql: 'INSERT INTO teams (id) VALUES ($1)' },
];

describePg('checkImpact: may break', (target) => {
  let source: TempDatabase;
  let migrated: TempDatabase;
  let scratch: ScratchServer;

  beforeAll(async () => {
    source = await createTempDatabase(target, SCHEMA);
    migrated = await createTempDatabase(target, `${SCHEMA}\n${MIGRATION}`);
    scratch = await openScratchServer({ major: target.major, devUrl: target.url });
  });
  afterAll(async () => {
    await scratch?.close();
    await source?.drop();
    await migrated?.drop();
  });

  it('flags an INSERT that omits a column becoming NOT NULL, at the step that starts enforcing it', async () => {
    const snapshot = await inspectPostgres(source.url);
    const files = [inlineMigration('change.sql', MIGRATION, null)];
    const plan = await planMigration({ files, snapshot });
    const changes = (await analyze({ files, snapshot })).statements.flatMap((s) => s.changes);
    const result = await checkImpact({
      dialect: postgresDialect,
      scratch,
      schema: { kind: 'snapshot', snapshot },
      plan,
      original: files,
      changes,
      services: [service('signup', 'typescript', queries)],
    });
    // The first step that makes the server refuse a NULL created_at: the NOT VALID check.
    const enforcing = plan.steps.find((s) =>
      s.sql.some((sql) => /created_at IS NOT NULL\) NOT VALID/.test(sql)),
    );
    expect(enforcing).toBeDefined();
    const listed = result.affected_services[0]?.queries ?? [];
    expect(listed.map((q) => [q.file, q.line, q.status, q.breaksAt])).toEqual([
      ['src/signup.ts', 3, 'may break', enforcing?.id],
    ]);
    expect(listed[0]?.reason).toMatch(/omits created_at, which becomes NOT NULL without a default/);
    // The witness: the row is refused after the migration (not-null violation), accepted before.
    expect(await sqlstateOf(migrated.url, 'INSERT INTO users (id, email) VALUES (1, $1)', 1)).toBe('23502');
    expect(await sqlstateOf(source.url, "INSERT INTO users (id, email) VALUES (1, 'a')", 0)).toBeNull();
    expect(
      await sqlstateOf(migrated.url, "INSERT INTO users (id, email, created_at) VALUES (1, 'a', now())", 0),
    ).toBeNull();
  });
});
