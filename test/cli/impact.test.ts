/**
 * `schemapilot impact` and `check --service` end to end on a real server (the scratch databases
 * on the test server through --dev-url). Which queries break is asked of the server itself: each
 * fixture query is prepared on a database before and after the migration, and the command must
 * name exactly those that compile before and fail after, with the server's SQLSTATE.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImpactResult } from '../../src/core/impact.js';
import { runCli } from '../support/cli.js';
import { validateJson, type JsonSchema } from '../support/json-schema.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';
import { expectUsageError } from './support.js';

const SCHEMA = `
  CREATE TABLE users (id bigint PRIMARY KEY, name text, email text NOT NULL);
  CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, name text);
`;
const MIGRATION = 'ALTER TABLE users DROP COLUMN name';

/** billing's queries: one uses users.name, the others look alike but are fine, one is already broken. */
const BILLING = [
  'SELECT id, name FROM users WHERE id = $1',
  'SELECT name FROM orders WHERE user_id = $1',
  'SELECT u.email FROM users u JOIN orders o ON o.user_id = u.id',
  'SELECT missing_column FROM users',
];
const WEB = ['SELECT email FROM users WHERE id = $1'];

describePg('schemapilot impact', (target) => {
  let db: TempDatabase;
  let after: TempDatabase;
  let dir: string;
  const billing = () => join(dir, 'billing');
  const web = () => join(dir, 'web');
  const base = () => ['--db', db.url, '--dev-url', target.url, '--change', MIGRATION];

  /** The server's verdict on a query: its SQLSTATE, or null when it prepares. */
  const prepare = async (database: TempDatabase, sql: string): Promise<string | null> => {
    try {
      await database.client.query(`PREPARE probe AS ${sql}`);
      await database.client.query('DEALLOCATE probe');
      return null;
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  beforeAll(async () => {
    db = await createTempDatabase(target, SCHEMA);
    after = await createTempDatabase(target, `${SCHEMA};${MIGRATION}`);
    dir = mkdtempSync(join(tmpdir(), 'sp-impact-'));
    mkdirSync(join(billing(), 'queries'), { recursive: true });
    mkdirSync(join(web(), 'db'), { recursive: true });
    // The first query starts on line 2, column 3: positions must point at the SQL, not the file start.
    writeFileSync(join(billing(), 'queries', 'users.sql'), `-- billing\n  ${BILLING.join(';\n')};\n`);
    writeFileSync(join(web(), 'db', 'q.sql'), `${WEB.join(';\n')};\n`);
    writeFileSync(join(dir, 'a-file'), 'not a directory');
  });
  afterAll(async () => {
    await db?.drop();
    await after?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the query the server refuses after the migration, with its SQLSTATE, and exits 1', async () => {
    const expected: { sql: string; code: string }[] = [];
    for (const sql of BILLING) {
      const before = await prepare(db, sql);
      const later = await prepare(after, sql);
      if (before === null && later !== null) expected.push({ sql, code: later });
    }
    expect(expected.length).toBeGreaterThan(0);
    const run = await runCli([
      'impact',
      ...base(),
      '--service',
      `billing=${billing()}`,
      '--service',
      `web=${web()}`,
      '--format',
      'json',
    ]);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as ImpactResult;
    expect(Object.keys(result).sort()).toEqual(['affected_services', 'services']);
    expect(result.affected_services.map((s) => s.service)).toEqual(['billing']);
    const queries = result.affected_services[0]?.queries ?? [];
    expect(queries.map((q) => ({ sql: q.sql, code: q.error?.code }))).toEqual(expected);
    expect(queries[0]).toMatchObject({ file: 'queries/users.sql', line: 2, column: 3, status: 'broken' });
    expect(Object.keys(queries[0] ?? {}).sort()).toEqual([
      'breaksAt',
      'column',
      'error',
      'file',
      'line',
      'sql',
      'status',
    ]);
    expect(result.services.map((s) => s.service).sort()).toEqual(['billing', 'web']);
    const summary = result.services.find((s) => s.service === 'billing');
    // The already broken query is reported apart, not blamed on the migration; the others are
    // the ones checked against it.
    const broken = [];
    for (const sql of BILLING) if ((await prepare(db, sql)) !== null) broken.push(sql);
    expect(summary).toMatchObject({
      filesScanned: 1,
      queriesFound: BILLING.length,
      queriesChecked: BILLING.length - broken.length,
    });
    expect(summary?.alreadyBroken.map((b) => b.sql)).toEqual(broken);
  }, 60_000);

  it('exits 0 when no service is affected, and the text says what was checked', async () => {
    const run = await runCli(['impact', ...base(), '--service', `web=${web()}`]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `✓ Cross-service impact: 0 of 1 service affected (${WEB.length} query checked, 0 unresolved)`,
    );
  }, 60_000);

  it('refuses bad --service values with one line and exit 2, before anything runs', async () => {
    for (const [value, message] of [
      ['billing', /--service must be NAME=PATH/],
      ['=/tmp', /--service must be NAME=PATH/],
      ['bad name=/tmp', /--service must be NAME=PATH/],
      [`billing=${join(dir, 'nope')}`, /--service billing=.*nope: no such directory/],
      [`billing=${join(dir, 'a-file')}`, /--service billing=.*a-file: not a directory/],
    ] as const) {
      expectUsageError(await runCli(['impact', ...base(), '--service', value]), message);
    }
    expectUsageError(
      await runCli([
        'impact',
        ...base(),
        '--service',
        `billing=${billing()}`,
        '--service',
        `billing=${web()}`,
      ]),
      /--service billing: the name is given twice/,
    );
    expectUsageError(await runCli(['impact', ...base()]), /no services to check/);
  }, 60_000);

  it('reads services from the config, relative to it; --service overrides an entry of the same name', async () => {
    const config = join(dir, 'schemapilot.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        services: [
          { name: 'billing', path: 'billing' },
          { name: 'web', path: './web' },
        ],
      }),
    );
    const fromConfig = await runCli(['impact', ...base(), '--config', config, '--format', 'json']);
    expect(fromConfig.code, fromConfig.stderr).toBe(1);
    expect((JSON.parse(fromConfig.stdout) as ImpactResult).services.map((s) => s.service).sort()).toEqual([
      'billing',
      'web',
    ]);
    const overridden = await runCli([
      'impact',
      ...base(),
      '--config',
      config,
      '--service',
      `billing=${web()}`,
      '--format',
      'json',
    ]);
    expect(overridden.code, overridden.stderr).toBe(0);
    writeFileSync(
      config,
      JSON.stringify({
        services: [
          { name: 'web', path: 'web' },
          { name: 'web', path: 'billing' },
        ],
      }),
    );
    expectUsageError(
      await runCli(['impact', ...base(), '--config', config]),
      /services\[1\] \(web\).name: service "web" is listed twice/,
    );
    writeFileSync(config, JSON.stringify({ services: [{ name: 'web', path: 'gone' }] }));
    expectUsageError(
      await runCli(['impact', ...base(), '--config', config]),
      /config "services": service "web": .*gone: no such directory/,
    );
  }, 90_000);

  it('check --service: the checklist line, the queries under it, not safe to deploy', async () => {
    const run = await runCli([
      'check',
      ...base(),
      '--service',
      `billing=${billing()}`,
      '--service',
      `web=${web()}`,
    ]);
    expect(run.code, run.stderr).toBe(1);
    // Checked against the migration: the queries that prepare before it.
    let checked = 0;
    for (const sql of [...BILLING, ...WEB]) if ((await prepare(db, sql)) === null) checked++;
    expect(run.stdout).toContain(
      `✗ Cross-service impact: 1 of 2 services affected (${checked} queries checked, 0 unresolved)`,
    );
    expect(run.stdout).toMatch(/^ {4}- billing\/queries\/users\.sql:2:3 broken at \S+: 42703 /m);
    expect(run.stdout).toMatch(/- billing must ship code that no longer runs this query before step 1 /);
    const json = await runCli(['check', ...base(), '--service', `web=${web()}`, '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as {
      impact: ImpactResult;
      checklist: { label: string; ok: boolean }[];
    };
    expect(parsed.impact.affected_services).toEqual([]);
    expect(parsed.checklist.find((c) => c.label.startsWith('Cross-service impact'))?.ok).toBe(true);
  }, 90_000);

  it('SARIF results sit on the service files; markdown has the PR section', async () => {
    const sarif = await runCli([
      'impact',
      ...base(),
      '--service',
      `billing=${billing()}`,
      '--format',
      'sarif',
    ]);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as {
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: object; region: object } }[];
        }[];
      }[];
    };
    const [result] = log.runs[0]?.results ?? [];
    expect(result?.ruleId).toBe('cross-service-broken');
    expect(result?.locations[0]?.physicalLocation.artifactLocation).toEqual({
      uri: 'queries/users.sql',
      uriBaseId: 'billing',
    });
    expect(result?.locations[0]?.physicalLocation.region).toMatchObject({ startLine: 2, startColumn: 3 });
    const md = await runCli([
      'analyze',
      ...base(),
      '--service',
      `billing=${billing()}`,
      '--format',
      'markdown',
    ]);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('### Cross-service impact');
    expect(md.stdout).toContain('`queries/users.sql:2:3`');
    // analyze's JSON carries the impact under its own key, and still matches the published schema.
    const json = await runCli([
      'analyze',
      ...base(),
      '--service',
      `billing=${billing()}`,
      '--format',
      'json',
    ]);
    const output = JSON.parse(json.stdout) as { impact?: ImpactResult };
    expect(output.impact?.affected_services.map((s) => s.service)).toEqual(['billing']);
    const schema = JSON.parse(
      readFileSync(new URL('../../schema/analyze-output.schema.json', import.meta.url), 'utf8'),
    ) as JsonSchema;
    expect(validateJson(schema, output)).toEqual([]);
  }, 90_000);

  it('plan --service and deploy --dry-run --service report the break and exit 1; the plan JSON stays whole', async () => {
    const services = ['--service', `billing=${billing()}`];
    const planned = await runCli(['plan', ...base(), ...services, '--format', 'json']);
    expect(planned.code, planned.stderr).toBe(1);
    // The plan is still the plan: the impact goes to stderr for machine formats.
    const plan = JSON.parse(planned.stdout) as { steps: { id: string }[] };
    expect(plan.steps.length).toBeGreaterThan(0);
    expect(planned.stderr).toContain('queries/users.sql:2:3');
    const text = await runCli(['plan', ...base(), ...services]);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain('✗ Cross-service impact: 1 of 1 service affected');
    const dry = await runCli(['deploy', '--dry-run', ...base(), ...services]);
    expect(dry.code, dry.stderr).toBe(1);
    expect(`${dry.stdout}${dry.stderr}`).toContain('queries/users.sql:2:3');
    // Without --dry-run, --service is refused before anything is applied.
    expectUsageError(await runCli(['deploy', ...base(), ...services]), /--service/);
    expect(await prepare(db, BILLING[0] ?? '')).toBeNull();
  }, 120_000);
});
