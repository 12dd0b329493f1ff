/**
 * The "done when": on a fixture fleet of eight services in every supported language,
 * `schemapilot impact` lists exactly the queries that break, with file, line, the plan step and
 * the server's error, names every unresolved call, and lists no query that still works.
 *
 * What breaks is the server's word, not ours: each expected break is prepared here on a database
 * before and after the migration (42703 after, fine before), and the step it is blamed on must
 * be the contract step whose SQL drops the column the query names.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImpactResult } from '../../src/core/impact.js';
import type { Plan } from '../../src/core/plan.js';
import { runCli } from '../support/cli.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';
import { FLEET, FLEET_DIR, FLEET_MIGRATION, FLEET_SCHEMA, marked } from './extract/fleet.js';
import { join } from 'node:path';

describePg('impact on the fixture fleet', (target) => {
  let before: TempDatabase;
  let after: TempDatabase;
  let result: ImpactResult;
  let plan: Plan;
  let code: number;

  const prepare = async (db: TempDatabase, sql: string): Promise<string | null> => {
    try {
      await db.client.query(`PREPARE probe AS ${sql}`);
      await db.client.query('DEALLOCATE probe');
      return null;
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  beforeAll(async () => {
    before = await createTempDatabase(target, FLEET_SCHEMA);
    after = await createTempDatabase(target, `${FLEET_SCHEMA};\n${FLEET_MIGRATION}`);
    const services = FLEET.flatMap((s) => ['--service', `${s.name}=${join(FLEET_DIR, s.name)}`]);
    const migration = join(FLEET_DIR, 'migration.sql');
    const common = ['--db', before.url, migration];
    const run = await runCli(['impact', ...common, '--dev-url', target.url, ...services, '--format', 'json']);
    code = run.code;
    expect(run.stdout, run.stderr).not.toBe('');
    result = JSON.parse(run.stdout) as ImpactResult;
    const planned = await runCli(['plan', ...common, '--format', 'json']);
    expect(planned.stdout, planned.stderr).not.toBe('');
    plan = JSON.parse(planned.stdout) as Plan;
  }, 120_000);
  afterAll(async () => {
    await before?.drop();
    await after?.drop();
  });

  it('lists exactly the queries the server refuses after the migration, in every language', async () => {
    expect(code).toBe(1);
    const expected: string[] = [];
    for (const service of FLEET)
      for (const query of service.queries) {
        if (!query.breaks) continue;
        // The fixture's word, checked against the server's.
        const sql = query.startsWith ? undefined : query.sql.replace(/\$\d+/g, 'NULL');
        if (sql) {
          expect(await prepare(before, sql), `${query.id} before`).toBeNull();
          expect(await prepare(after, sql), `${query.id} after`).toBe('42703');
        }
        const at = marked(service.name, 'query', query.id);
        expected.push(`${service.name} ${at.file}:${at.line}`);
      }
    const listed = result.affected_services.flatMap((s) =>
      s.queries.map((q) => `${s.service} ${q.file}:${q.line}`),
    );
    expect(listed.sort()).toEqual(expected.sort());
    const languages = new Set(result.services.flatMap((s) => s.languages));
    for (const language of [
      'typescript',
      'javascript',
      'python',
      'go',
      'java',
      'kotlin',
      'ruby',
      'sql',
      'prisma',
    ])
      expect(languages, language).toContain(language);
  });

  it('blames each break on the contract step that drops the column it reads, with the server error', () => {
    const stepSql = new Map(plan.steps.map((s) => [s.id, s.sql.join('\n')]));
    for (const service of result.affected_services)
      for (const query of service.queries) {
        expect(query.status).toBe('broken');
        expect(query.error?.code).toBe('42703');
        const column = /column "?(?:\w+\.)?(\w+)"?(?: of relation "?\w+"?)? does not exist/.exec(
          query.error?.message ?? '',
        )?.[1];
        expect(column, query.error?.message).toBeDefined();
        expect(stepSql.get(query.breaksAt), `${service.service} ${query.file}:${query.line}`).toMatch(
          new RegExp(`DROP COLUMN (IF EXISTS )?"?${column}"?`),
        );
      }
  });

  it('names every unresolved call and blames nothing that was already broken', () => {
    for (const service of FLEET) {
      const summary = result.services.find((s) => s.service === service.name);
      const unresolved = service.unresolved.map((id) => {
        const at = marked(service.name, 'unresolved', id);
        return `${at.file}:${at.line}`;
      });
      expect(summary?.unresolved.map((u) => `${u.file}:${u.line}`).sort(), service.name).toEqual(
        unresolved.sort(),
      );
      expect(summary?.alreadyBroken, service.name).toEqual([]);
      expect(summary?.queriesFound, service.name).toBe(service.queries.length);
    }
  });

  it('check --service lists the same breaks, says so in its checklist, and is not safe to deploy', async () => {
    const services = FLEET.flatMap((s) => ['--service', `${s.name}=${join(FLEET_DIR, s.name)}`]);
    const run = await runCli([
      'check',
      join(FLEET_DIR, 'migration.sql'),
      '--db',
      before.url,
      '--dev-url',
      target.url,
      '--dry-run',
      ...services,
      '--format',
      'json',
    ]);
    expect(run.code, run.stderr).toBe(1);
    const checked = JSON.parse(run.stdout) as {
      impact: ImpactResult;
      analysis: { assessment: { safe_to_deploy: boolean } };
      checklist: { label: string; ok: boolean }[];
    };
    const key = (r: ImpactResult) =>
      r.affected_services
        .flatMap((s) => s.queries.map((q) => `${s.service} ${q.file}:${q.line} ${q.breaksAt}`))
        .sort();
    expect(key(checked.impact)).toEqual(key(result));
    const line = checked.checklist.find((c) => c.label.startsWith('Cross-service impact'));
    expect(line?.ok).toBe(false);
    expect(line?.label).toContain(`${result.affected_services.length} of ${FLEET.length} services affected`);
    expect(checked.analysis.assessment.safe_to_deploy).toBe(false);
  }, 120_000);
});
