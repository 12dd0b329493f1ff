/**
 * `schemapilot validate` and `check` on a MariaDB target, run as a user runs them: the dialect
 * comes from the --db URL, the scratch server is --dev-url or a throwaway mariadbd.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { findMariadbBinaries } from '../../../../src/dialects/mysql/scratch/throwaway.js';
import { runCli } from '../../../support/cli.js';
import { createTempDatabase, describeMysql, type TempDatabase } from '../support.js';

describeMysql('validate and check on MariaDB (CLI)', (serverUrl) => {
  let target: TempDatabase;
  beforeAll(async () => {
    target = await createTempDatabase(serverUrl, [
      'CREATE TABLE users (id int PRIMARY KEY AUTO_INCREMENT, email varchar(100) NULL)',
      "INSERT INTO users (email) VALUES ('a@x'), (NULL)",
    ]);
  });
  afterAll(async () => {
    await target?.drop();
  });

  it('validate --dev-url traces the steps and proves the rollback', { timeout: 120_000 }, async () => {
    const r = await runCli([
      'validate',
      '--db',
      target.url,
      '--dev-url',
      serverUrl,
      '--change',
      `ALTER TABLE \`${target.name}\`.users ADD COLUMN age int, ALGORITHM=INSTANT`,
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as {
      scratch: { kind: string; server?: string };
      steps: { statements: { traced: { online?: { algorithm: string } } | null }[] }[];
      rollback: { checked: boolean; differences: unknown[] };
    };
    expect(result.scratch).toMatchObject({ kind: 'dev-url', server: expect.stringMatching(/^MariaDB /) });
    expect(result.steps[0]?.statements.map((s) => s.traced?.online?.algorithm ?? null)).toEqual([
      null,
      'INSTANT',
      null,
    ]);
    expect(result.rollback).toEqual({ checked: true, differences: [] });
    // The qualified name ran on the scratch copy: the target has no new column.
    const left = await runCli(['inspect', '--db', target.url, '--format', 'json']);
    expect(left.stdout).not.toContain('"age"');
  });

  it(
    'validate --synthesize fails a NOT NULL change the data does not allow, exit 1',
    { timeout: 120_000 },
    async () => {
      const r = await runCli([
        'validate',
        '--db',
        target.url,
        '--dev-url',
        serverUrl,
        '--synthesize',
        '100',
        '--change',
        'ALTER TABLE users MODIFY email varchar(100) NOT NULL',
      ]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toMatch(/Validation on a MariaDB [\d.]+ scratch database \(--dev-url/);
      // The plan makes it NOT NULL in place after the NULLs are gone (its pre-check); the
      // statement as written fails on the copy too.
      expect(r.stdout).toMatch(
        /✗ validate-1 validate .*\n {4}failed: pre-check failed: no NULL left in \S+\.users\.email/,
      );
      expect(r.stdout).toMatch(
        /as written, the migration fails on the scratch copy: .*Data truncated for column 'email'/,
      );
    },
  );

  it.runIf(findMariadbBinaries() !== undefined)(
    'check without --dev-url validates on a throwaway mariadbd',
    { timeout: 120_000 },
    async () => {
      const r = await runCli([
        'check',
        '--db',
        target.url,
        '--change',
        'ALTER TABLE users ADD COLUMN nick varchar(20), ALGORITHM=INSTANT',
      ]);
      expect(r.stderr).toContain('starting a throwaway scratch server');
      expect(r.stdout).toMatch(/✓ Validation passed on test database \(MariaDB [\d.]+ scratch database, /);
      expect(r.stdout).toContain('(embedded, schema from SHOW CREATE from MariaDB');
    },
  );

  it(
    'validates a saved plan against a saved snapshot (plan.json --schema snapshot.json)',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sp-validate-cli-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const snapshot = await runCli(['inspect', '--db', target.url, '--format', 'json']);
      expect(snapshot.code, snapshot.stderr).toBe(0);
      writeFileSync(join(dir, 'snapshot.json'), snapshot.stdout);
      const plan = await runCli([
        'plan',
        '--schema',
        join(dir, 'snapshot.json'),
        '--change',
        'ALTER TABLE users ADD COLUMN score int',
        '--format',
        'json',
      ]);
      expect(plan.code, plan.stderr).toBe(0);
      writeFileSync(join(dir, 'plan.json'), plan.stdout);
      const r = await runCli([
        'validate',
        join(dir, 'plan.json'),
        '--schema',
        join(dir, 'snapshot.json'),
        '--dev-url',
        serverUrl,
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('schema from snapshot');
      expect(r.stdout).toContain('✓ rollback restores the original schema');

      // A MySQL snapshot still has its version checked.
      const bad = JSON.parse(snapshot.stdout) as { serverVersionNum: number };
      bad.serverVersionNum = 42;
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
      const refused = await runCli(['analyze', '--schema', join(dir, 'bad.json'), '--change', 'SELECT 1']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        '$.serverVersionNum: must be a MySQL/MariaDB version number (major*10000 + minor*100 + patch) from 50000 to 999999',
      );
    },
  );

  it('a --dev-url that cannot be reached is exit 2 in one line, nothing applied', async () => {
    const r = await runCli([
      'validate',
      '--db',
      target.url,
      '--dev-url',
      'mysql://root:pw@127.0.0.1:1/',
      '--change',
      'DROP TABLE users',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^schemapilot: cannot connect to root@127\.0\.0\.1:1: connection refused/m);
    expect(r.stderr).not.toContain(':pw@');
  });
});
