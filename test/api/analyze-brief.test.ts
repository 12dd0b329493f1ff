/**
 * The brief's "Done when", against real servers: ALTER TABLE users ADD COLUMN email_verified
 * BOOLEAN NOT NULL DEFAULT false on a real users table is safe on PostgreSQL >= 11 (a brief
 * ACCESS EXCLUSIVE lock, no rewrite); the volatile-default and pre-11 variants are flagged
 * with the 3-step plan. What the server really does (lock mode, rewrite) is measured on it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { readInline } from '../../src/api/read.js';
import { runCli } from '../support/cli.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';
import { BRIEF_EXAMPLE, json, rules, type JsonReport } from '../cli/support.js';
import { expectThreeStepPlan, onServer, USERS_SQL, VOLATILE } from '../cli/database.js';
import { tempLayout } from '../formats/support.js';

// Every test here runs the real CLI (a Node process each): slow when the machine is busy.
vi.setConfig({ testTimeout: 180_000 });

describePg('analyze: the brief example against a real users table', (target) => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase(target, USERS_SQL);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('is safe on PostgreSQL >= 11: a brief ACCESS EXCLUSIVE lock on public.users and no rewrite', async () => {
    const truth = await onServer(db.client, BRIEF_EXAMPLE);
    const result = await runCli(['analyze', '--db', db.url, '--change', BRIEF_EXAMPLE, '--format', 'json']);
    const report = json(result);
    const [statement] = report.statements;
    expect(truth.modes).toContain('ACCESS EXCLUSIVE');
    expect(statement?.locks).toEqual([{ table: 'public.users', mode: 'ACCESS EXCLUSIVE' }]);
    expect(statement?.rewritesTable).toBe(truth.rewrites);
    if (target.major >= 11) {
      expect(truth.rewrites).toBe(false);
      expect(result.code).toBe(0);
      expect(report.assessment.safe_to_deploy).toBe(true);
      // Catalog-only: milliseconds, whatever the table's size.
      expect(statement?.estimatedLockMs).toBeLessThan(50);
      expect(report.assumptions.join('\n')).not.toMatch(/no schema given|server version unknown/);
    } else {
      expect(result.code).toBe(1);
      expectThreeStepPlan(report, 'email_verified');
    }
  });

  it('flags the volatile default (a rewrite on every version) with the 3-step plan', async () => {
    const truth = await onServer(db.client, VOLATILE);
    const result = await runCli(['analyze', '--db', db.url, '--change', VOLATILE, '--format', 'json']);
    const report = json(result);
    expect(truth.rewrites).toBe(true);
    expect(report.statements[0]?.rewritesTable).toBe(true);
    expect(result.code).toBe(1);
    expect(report.assessment.safe_to_deploy).toBe(false);
    expect(rules(report)).toContain('add-column-volatile-default');
    expectThreeStepPlan(report, 'token');
  });

  it('flags the pre-11 variant (--target-version 10, no database) with the 3-step plan', async () => {
    const result = await runCli([
      'analyze',
      '--target-version',
      '10',
      '--change',
      BRIEF_EXAMPLE,
      '--format',
      'json',
    ]);
    const report = json(result);
    expect(result.code).toBe(1);
    expect(report.statements[0]?.rewritesTable).toBe(true);
    expectThreeStepPlan(report, 'email_verified');
  });

  it('gives the same verdicts from a saved snapshot (--schema) as from the live database', async () => {
    const snapshot = join(tempLayout({}), 'snapshot.json');
    const inspect = await runCli(['inspect', '--db', db.url, '--format', 'json', '-o', snapshot]);
    expect(inspect.code, inspect.stderr).toBe(0);
    const migration = [
      BRIEF_EXAMPLE,
      VOLATILE,
      'CREATE INDEX users_name_idx ON users (name)',
      'ALTER TABLE users DROP COLUMN name',
    ]
      .map((s) => `${s};`)
      .join('\n');
    const [live, saved] = await Promise.all([
      runCli(['analyze', '--db', db.url, '-', '--format', 'json'], { input: migration }),
      // $DATABASE_URL points nowhere: an explicit --schema must win over it.
      runCli(['analyze', '--schema', snapshot, '-', '--format', 'json'], {
        input: migration,
        env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere' },
      }),
    ]);
    const verdicts = (r: JsonReport) => ({
      safe: r.assessment.safe_to_deploy,
      serverVersion: r.serverVersion,
      statements: r.statements.map((s) => ({
        locks: s.locks,
        rewritesTable: s.rewritesTable,
        findings: s.findings.map((f) => `${f.rule}/${f.severity}`).sort(),
      })),
    });
    expect(verdicts(json(saved))).toEqual(verdicts(json(live)));
    expect(saved.code).toBe(live.code);
    expect(rules(json(live))).toEqual(expect.arrayContaining(['add-column-volatile-default', 'drop-column']));
  });
});

describe('analyze: the brief example without a database', () => {
  it('is catalog-only on every PostgreSQL major from 11 to 18, a rewrite on 10', async () => {
    const { files } = await readInline('migration.sql', BRIEF_EXAMPLE);
    for (const major of [10, 11, 12, 13, 14, 15, 16, 17, 18]) {
      const result = await analyze({ files, config: { ...DEFAULT_CONFIG, rules: {}, targetVersion: major } });
      expect(result.statements[0]?.rewritesTable, `PostgreSQL ${major}`).toBe(major < 11);
      expect(result.assessment.safe_to_deploy, `PostgreSQL ${major}`).toBe(major >= 11);
    }
  });

  it('says what it assumed: the server version and the schema', async () => {
    const report = json(await runCli(['analyze', '--change', BRIEF_EXAMPLE, '--format', 'json']));
    const assumed = report.assumptions.join('\n');
    expect(assumed).toMatch(/server version unknown: PostgreSQL 11 assumed/);
    expect(assumed).toMatch(/no schema given: every table is assumed to exist/);
    expect(report.assessment.safe_to_deploy).toBe(true);
  });
});
