/**
 * `schemapilot deploy`, `status` and `rollback` as a user runs them: a dry run that changes
 * nothing, a migration file planned, validated and deployed on the fly, the journal shown and
 * undone, an incident report written on failure, and bad input refused before connecting.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { runCli } from '../support/cli.js';
import { PROXY_FAULTS } from '../faults/support/catalog.js';
import { startFaultProxy } from '../faults/support/net.js';
import { createTempDatabase, describePg, settledWriteCount, type TempDatabase } from '../support/pg.js';

const SHOP = readFileSync(new URL('../../examples/shop/schema.sql', import.meta.url), 'utf8');

describePg('deploy, status, rollback (CLI)', (target) => {
  let db: TempDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'sp-deploy-'));

  beforeAll(async () => {
    db = await createTempDatabase(target, SHOP);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const schemapilotSchema = async () =>
    (await db.client.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'schemapilot'`))
      .rows[0].n as number;

  it('--dry-run checks the plan against the live schema and changes nothing', async () => {
    const planFile = join(dir, 'plan.json');
    const planned = await runCli(['plan', 'examples/shop/migrations', '--db', db.url, '--out', planFile]);
    expect(planned.code).toBe(0);
    const hash = (await inspectPostgres(db.url)).hash;
    const writes = await settledWriteCount(db.client);
    const result = await runCli(['deploy', planFile, '--db', db.url, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^dry run: the live schema matches the plan; 10 step\(s\) would run: expand-1, /,
    );
    expect((await inspectPostgres(db.url)).hash).toBe(hash);
    expect(await settledWriteCount(db.client)).toBe(writes);
    expect(await schemapilotSchema()).toBe(0);
  });

  it('plans, validates and deploys a file; status shows the journal; rollback undoes it', async () => {
    const hash = (await inspectPostgres(db.url)).hash;
    const migration = join(dir, 'add_index.sql');
    writeFileSync(migration, 'CREATE INDEX orders_created_idx ON orders (created_at);\n');
    const deployed = await runCli(['deploy', migration, '--db', db.url, '--dev-url', target.url]);
    expect(deployed.stderr).toContain('validating the plan on a scratch database');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toMatch(/^deploy \d+ succeeded: 1 step\(s\)/);
    const index = await db.client.query(
      `SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'orders_created_idx'`,
    );
    expect(index.rows).toEqual([{ indisvalid: true }]);

    const status = await runCli(['status', '--db', db.url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/deploy \d+ succeeded/);
    expect(status.stdout).toMatch(/expand-1\s+done\s+Build index orders_created_idx CONCURRENTLY/);

    const undone = await runCli(['rollback', '--db', db.url]);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toMatch(/rolled back expand-1/);
    expect((await inspectPostgres(db.url)).hash).toBe(hash);
    expect((await runCli(['status', '--db', db.url])).stdout).toMatch(/deploy \d+ rolled back/);
  });

  it('rollback --to keeps the steps up to the one named and undoes the later ones', async () => {
    const planFile = join(dir, 'plan.json');
    const deployed = await runCli(['deploy', planFile, '--db', db.url]);
    expect(deployed.code).toBe(0);
    const undone = await runCli(['rollback', '--db', db.url, '--to', 'expand-3']);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toMatch(
      /rolled back validate-3, expand-6, expand-5, validate-2, validate-1, expand-4, backfill-1$/m,
    );
    const columns = await db.client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY column_name`,
    );
    expect(columns.rows.map((r) => r.column_name)).toEqual(
      expect.arrayContaining(['email_verified', 'tracking_id']),
    );
    const gone = await db.client.query(
      `SELECT (SELECT count(*) FROM pg_class WHERE relname = 'orders_status_idx')::int AS idx,
              (SELECT count(*) FROM pg_constraint WHERE conname = 'orders_user_fk')::int AS fk`,
    );
    expect(gone.rows[0]).toEqual({ idx: 0, fk: 0 });
    const status = await runCli(['status', '--db', db.url]);
    expect(status.stdout).toMatch(/expand-3\s+done/);
    expect(status.stdout).toMatch(/expand-4\s+rolled back/);
    // Undo the rest, so the next test starts from the original schema.
    expect((await runCli(['rollback', '--db', db.url])).code).toBe(0);
  }, 120_000);

  it('a failed deploy rolls back and writes the incident report (markdown and JSON)', async () => {
    const holder = new pg.Client({ connectionString: db.url, application_name: 'etl-loader' });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM users /* etl snapshot */');
      const incidents = join(dir, 'incidents');
      const result = await runCli([
        'deploy',
        '--change',
        'ALTER TABLE users ADD COLUMN nickname text',
        '--db',
        db.url,
        '--skip-validate',
        '--retries',
        '2',
        '--incident-dir',
        incidents,
      ]);
      expect(result.code).toBe(1);
      const holderPid = (holder as unknown as { processID: number }).processID;
      expect(result.stdout).toContain(String(holderPid));
      const file = /Incident report: (\S+\.md)/.exec(result.stdout)?.[1] ?? '';
      expect(existsSync(file)).toBe(true);
      const markdown = readFileSync(file, 'utf8');
      expect(markdown).toContain('etl snapshot');
      expect(markdown).toContain('etl-loader');
      const json = JSON.parse(readFileSync(file.replace(/\.md$/, '.json'), 'utf8')) as {
        incident: { cause: string; error: { sqlstate: string } };
      };
      expect(json.incident.cause).toBe('lock timeout');
      expect(json.incident.error.sqlstate).toBe('55P03');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  }, 60_000);

  it('a connection cut or frozen mid-deploy: exit 1 and an incident report; status says where it stopped; rollback undoes it', async () => {
    const hash = (await inspectPostgres(db.url)).hash;
    const planFile = join(dir, 'nickname.json');
    const planned = await runCli([
      'plan',
      '--change',
      'ALTER TABLE users ADD COLUMN nickname text',
      '--db',
      db.url,
      '--out',
      planFile,
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    for (const kind of PROXY_FAULTS.deploy) {
      // The step's statement as a query message, not the plan inside the journal's INSERT.
      const proxy = await startFaultProxy(db.url, { kind, whenClientSends: 'nickname text\u0000' });
      const incidents = join(dir, `incidents-${kind}`);
      try {
        const result = await runCli([
          'deploy',
          planFile,
          '--db',
          proxy.url(db.url),
          '--incident-dir',
          incidents,
          '--query-timeout',
          '1',
        ]);
        expect(proxy.struck, kind).toBe(1);
        expect(result.code, `${kind}: ${result.stderr}`).toBe(1);
        expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
        const file = /Incident report: (\S+\.md)/.exec(result.stdout)?.[1] ?? '';
        expect(readFileSync(file, 'utf8')).toMatch(
          /connection to the database was cut, or stopped answering/,
        );
        const json = JSON.parse(readFileSync(file.replace(/\.md$/, '.json'), 'utf8')) as {
          incident: { cause: string; failedStep: { id: string; status: string } };
        };
        expect(json.incident.cause).toBe('connection lost');
        expect(json.incident.failedStep.status).toBe('running');
      } finally {
        await proxy.close();
      }
      const status = await runCli(['status', '--db', db.url]);
      expect(status.code).toBe(1);
      expect(status.stdout).toMatch(/deploy \d+ running/);
      expect(status.stdout).toMatch(/expand-1\s+running/);
      const undone = await runCli(['rollback', '--db', db.url]);
      expect(undone.code, undone.stdout + undone.stderr).toBe(0);
      expect((await inspectPostgres(db.url)).hash).toBe(hash);
    }
  }, 120_000);

  it('refuses bad input with exit code 2 before connecting', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['deploy', '--change', 'SELECT 1', '--db', db.url, '--max-blocking-ms', 'soon'],
        /--max-blocking-ms must be a whole number/,
      ],
      [['deploy', join(dir, 'nope.json'), '--db', db.url], /nope\.json: no such file/],
      [['status', '--db', db.url, '--deploy', 'last'], /--deploy must be a deploy id/],
      [
        ['rollback', '--db', db.url, '--lock-timeout-ms', '0'],
        /--lock-timeout-ms must be a whole number from 1 to 2147483647 ms/,
      ],
      [['deploy', '--change', 'SELECT 1'], /no database given/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });
});
