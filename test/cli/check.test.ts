/**
 * `schemapilot check` and `validate` as a user runs them: the brief's checklist on the bundled
 * example (embedded scratch server), a migration hiding a data problem, a saved plan, bad input.
 * The target database must come out untouched: same schema hash, no rows written.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { runCli } from '../support/cli.js';
import { createTempDatabase, describePg, settledWriteCount, type TempDatabase } from '../support/pg.js';

const SHOP = readFileSync(new URL('../../examples/shop/schema.sql', import.meta.url), 'utf8');
const NULLS_DIR = new URL('../fixtures/check/hidden-nulls/', import.meta.url).pathname;
const NULLS = readFileSync(join(NULLS_DIR, 'schema.sql'), 'utf8');

describePg('check and validate (CLI)', (target) => {
  let shop: TempDatabase;
  let customers: TempDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'sp-check-'));

  beforeAll(async () => {
    shop = await createTempDatabase(target, SHOP);
    customers = await createTempDatabase(target, NULLS);
  });
  afterAll(async () => {
    await shop?.drop();
    await customers?.drop();
  });

  it("prints the brief's checklist for the bundled example on an embedded scratch server, and writes nothing to the target", async () => {
    const hashBefore = (await inspectPostgres(shop.url)).hash;
    const writesBefore = await settledWriteCount(shop.client);
    const result = await runCli(['check', 'examples/shop/migrations', '--db', shop.url, '--dry-run']);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    const checklist = result.stdout.split('\n').slice(0, 4);
    expect(checklist[0]).toBe('✓ Schema analyzed: 0 breaking changes');
    expect(checklist[1]).toMatch(/^✓ Migration generated: \d+ lines SQL in 10 steps$/);
    expect(checklist[2]).toMatch(
      /^✓ Validation passed on test database \(PostgreSQL \d+ scratch database, [\d.]+ s\)$/,
    );
    expect(checklist[3]).toBe(
      '✓ Safe to deploy to production (deploy the plan, not the migration as written)',
    );
    // Then the full report: analysis, plan, and the trace of the concurrent index build.
    expect(result.stdout).toContain('── Plan');
    const trace = result.stdout.split('── Validation')[1] ?? '';
    const build = trace.slice(trace.indexOf('CREATE INDEX CONCURRENTLY orders_status_idx')).split('\n');
    expect(build[1]?.trim()).toMatch(/^measured: SHARE UPDATE EXCLUSIVE on public\.orders \(\d+ ms\)$/);
    expect((await inspectPostgres(shop.url)).hash).toBe(hashBefore);
    expect(await settledWriteCount(shop.client)).toBe(writesBefore);
  }, 180_000);

  it('passes the hidden NULLs on a schema-only copy, and catches them with synthesized or sampled rows', async () => {
    const migration = join(NULLS_DIR, '001_phone_required.sql');
    const schemaOnly = await runCli(['check', migration, '--db', customers.url, '--dev-url', target.url]);
    expect(schemaOnly.stdout).toContain('data: none (schema only');
    // The live schema is copied with pg_dump when one as new as the server is installed (the
    // system's 15 here), else from the snapshot.
    expect(schemaOnly.stdout).toMatch(
      target.major <= 15 ? /schema from pg_dump 1[5-9]/ : /schema from (pg_dump \d+|snapshot)/,
    );
    expect(schemaOnly.stdout.split('\n')[2]).toMatch(/^✓ Validation passed/);

    for (const data of [
      ['--synthesize', '50'],
      ['--sample-rows', '100'],
    ]) {
      const writesBefore = await settledWriteCount(customers.client);
      const result = await runCli([
        'check',
        migration,
        '--db',
        customers.url,
        '--dev-url',
        target.url,
        ...data,
      ]);
      expect(result.code, data.join(' ')).toBe(1);
      const lines = result.stdout.split('\n');
      expect(lines).toContain(
        '✗ Validation failed on test database (PostgreSQL ' + target.major + ' scratch database)',
      );
      expect(result.stdout).toMatch(
        /validate-\d+ failed: pre-check failed: no NULL left in public\.customers\.phone/,
      );
      expect(lines).toContain('✗ Not safe to deploy to production');
      expect(await settledWriteCount(customers.client)).toBe(writesBefore);
    }
  }, 240_000);

  it('validates a saved plan against a saved snapshot', async () => {
    const snapshot = join(dir, 'snapshot.json');
    const planFile = join(dir, 'plan.json');
    const inspect = await runCli(['inspect', '--db', shop.url, '--format', 'json']);
    writeFileSync(snapshot, inspect.stdout);
    const planned = await runCli([
      'plan',
      '--change',
      'CREATE INDEX orders_created_idx ON orders (created_at)',
      '--schema',
      snapshot,
      '--out',
      planFile,
    ]);
    expect(planned.code).toBe(0);
    const result = await runCli([
      'validate',
      planFile,
      '--schema',
      snapshot,
      '--dev-url',
      target.url,
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      passed: boolean;
      clone: string;
      steps: { step: string; statements: { traced: { locks: unknown[] } | null }[] }[];
      intent: { checked: boolean };
    };
    expect(report.passed).toBe(true);
    expect(report.clone).toBe('snapshot');
    expect(report.intent.checked).toBe(true);
    expect(report.steps.map((s) => s.step)).toEqual(['expand-1']);
  });

  it("builds the schema by replaying a migrations directory, on the scratch server's own major", async () => {
    const migrations = join(dir, 'migrations');
    mkdirSync(migrations);
    writeFileSync(join(migrations, '001_schema.sql'), SHOP);
    const result = await runCli([
      'validate',
      '--change',
      'ALTER TABLE users ALTER COLUMN name SET NOT NULL',
      '--migrations',
      migrations,
      '--dev-url',
      target.url,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `PostgreSQL ${target.major} scratch database (--dev-url, schema from 1 migration file(s))`,
    );
    expect(result.stderr).not.toContain('warning');
    expect(result.stdout).toMatch(
      /VALIDATE CONSTRAINT users_name_not_null\n\s+measured: SHARE UPDATE EXCLUSIVE on public.users/,
    );
  });

  it('checks an empty migration file as nothing to do, in every format', async () => {
    const empty = join(dir, 'V1__placeholder.sql');
    writeFileSync(empty, '');
    const run = (format: string) =>
      runCli(['check', empty, '--db', shop.url, '--dev-url', target.url, '--format', format]);
    const [text, json, markdown] = await Promise.all([run('text'), run('json'), run('markdown')]);
    for (const result of [text, json, markdown]) {
      expect(result.stderr).not.toMatch(/internal error|cannot be empty/);
      expect(result.code).toBe(0);
    }
    const report = JSON.parse(json.stdout) as {
      analysis: { statements: unknown[]; assumptions: string[] };
      validation: { passed: boolean };
    };
    expect(report.analysis.statements).toEqual([]);
    expect(report.analysis.assumptions).toContainEqual(expect.stringMatching(/holds no statement/));
    expect(report.validation.passed).toBe(true);
    expect(text.stdout).toContain('Validation passed');
    expect(markdown.stdout).toContain('**Passed**');
  }, 180_000);

  it('refuses bad input with exit code 2 and one line naming the flag, before starting anything', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['check', '--change', 'SELECT 1'],
        /needs a schema to start from: give --db URL, --schema snapshot.json or --migrations DIR/,
      ],
      [
        ['check', '--change', 'SELECT 1', '--db', shop.url, '--synthesize', 'lots'],
        /--synthesize must be a whole number/,
      ],
      [
        ['validate', '--change', 'SELECT 1', '--schema', 'x.json', '--migrations', 'y'],
        /give one of --db, --schema or --migrations/,
      ],
      [['check', '--change', 'ALTER TABLE', '--db', shop.url], /^--change:1:12: syntax error/],
      [['validate', join(dir, 'missing.json'), '--db', shop.url], /missing\.json: no such file/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      // Progress lines (`· …`) may come first; the error itself is one line.
      const errors = result.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('· '));
      expect(errors).toHaveLength(1);
      expect(errors[0]?.replace(/^schemapilot: /, '')).toMatch(message);
    }
    const withPassword = await runCli([
      'check',
      '--change',
      'SELECT 1',
      '--db',
      shop.url,
      '--dev-url',
      'postgres://postgres:hunter2secret@127.0.0.1:1/postgres',
    ]);
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).not.toContain('hunter2secret');
  });
});
