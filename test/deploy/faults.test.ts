/**
 * deploy() under injected faults on real servers: a session holding a conflicting lock, the
 * deploy connection killed at every step boundary and in the middle of a backfill, a step that
 * fails on the data, a second deploy at the same time. After each, the database must be either
 * fully deployed (same schema as a clean deploy) or back to the original schema, with the rows
 * of the touched tables unchanged. The number of faults injected is printed at the end.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { plan } from '../../src/api/plan.js';
import type { Plan, PlanOptions } from '../../src/core/plan.js';
import { deploy, DEFAULT_DEPLOY_LIMITS, type DeployEvent, type DeployOptions } from '../../src/api/deploy.js';
import { readDeploy } from '../../src/dialects/postgres/deploy/read.js';
import { DeployRefusedError } from '../../src/deploy/lock.js';
import { rollbackDeploy } from '../../src/api/deploy.js';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { readMigrations, inlineMigration } from '../../src/api/read.js';
import { DEFAULT_QUERY_TIMEOUT_MS, setNetworkTimeouts } from '../../src/core/timeouts.js';
import { renderIncidentMarkdown } from '../../src/reporters/incident/index.js';
import { PROXY_FAULTS } from '../faults/support/catalog.js';
import { startFaultProxy } from '../faults/support/net.js';
import { createTempDatabase, describePg, withClient, type TempDatabase } from '../support/pg.js';
import type { PgTarget } from '../setup/targets.js';

const SHOP = readFileSync(new URL('../../examples/shop/schema.sql', import.meta.url), 'utf8');
const MIGRATIONS = new URL('../../examples/shop/migrations', import.meta.url).pathname;

let faults = 0;
afterAll(() => {
  process.stdout.write(`\n[deploy fault tests] faults injected: ${faults}\n`);
});

/** Row counts and an md5 over every original column of the touched tables, in key order. */
async function dataFingerprint(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ f: string }>(
      `SELECT (SELECT count(*) FROM users) || ':' || (SELECT md5(string_agg(id || '|' || email || '|' || coalesce(name, '∅') || '|' || created_at, ',' ORDER BY id)) FROM users)
           || ':' || (SELECT count(*) FROM orders) || ':' || (SELECT md5(string_agg(id || '|' || user_id || '|' || status || '|' || total_cents || '|' || created_at, ',' ORDER BY id)) FROM orders) AS f`,
    );
    return rows[0]?.f ?? '';
  });
}

describePg('deploy under faults', (target: PgTarget) => {
  let reference: { plan: Plan; deployedHash: string; originalHash: string };

  // Every case starts from a copy of one loaded database: CREATE DATABASE … TEMPLATE is far
  // faster than loading the example's 80,000 rows again.
  let base: TempDatabase | undefined;
  const fresh = async () => {
    if (!base) {
      base = await createTempDatabase(target, SHOP);
      await base.client.end();
    }
    return createTempDatabase(target, undefined, { template: base.name });
  };
  afterAll(async () => {
    await base?.drop();
  });
  const options = (db: TempDatabase, p: Plan, extra: Partial<DeployOptions> = {}): DeployOptions => ({
    ...DEFAULT_DEPLOY_LIMITS,
    url: db.url,
    plan: p,
    ...extra,
  });
  const planFor = async (db: TempDatabase, sql: string | null, planOptions: Partial<PlanOptions> = {}) => {
    const snapshot = await inspectPostgres(db.url);
    const files =
      sql === null ? (await readMigrations(MIGRATIONS)).files : [inlineMigration('change.sql', sql, null)];
    return plan({ files, snapshot, options: planOptions });
  };

  beforeAll(async () => {
    const db = await fresh();
    try {
      const p = await planFor(db, null, { batchSize: 2000, batchPauseMs: 0 });
      const originalHash = (await inspectPostgres(db.url)).hash;
      const data = await dataFingerprint(db.url);
      const result = await deploy(options(db, p));
      expect(result.deploy?.status).toBe('succeeded');
      reference = { plan: p, deployedHash: (await inspectPostgres(db.url)).hash, originalHash };
      expect(reference.deployedHash).not.toBe(originalHash);
      expect(await dataFingerprint(db.url)).toBe(data);
    } finally {
      await db.drop();
    }
  }, 120_000);

  it('the deploy connection killed at every step boundary: the rerun resumes, or rollback undoes it', async () => {
    const steps = reference.plan.steps.map((s) => s.id);
    let n = 0;
    for (const step of steps) {
      for (const moment of ['step-start', 'step-done'] as const) {
        const db = await fresh();
        try {
          const data = await dataFingerprint(db.url);
          let killed = false;
          const kill = async (e: DeployEvent) => {
            if (killed || e.type !== moment || e.step !== step) return;
            killed = true;
            faults++;
            await withClient(target.url, (c) => c.query('SELECT pg_terminate_backend($1)', [e.pid]));
          };
          const first = await deploy(options(db, reference.plan, { onEvent: kill }));
          // A lost connection is this deploy's failure, with an incident report; nothing is
          // rolled back (the server may have finished the statement), the journal says running.
          // The last step-done is followed only by the journal's final update, which also fails.
          expect(first.incident?.cause, `${moment} ${step}`).toBe('connection lost');
          const next = steps[steps.indexOf(step) + 1] ?? step;
          expect([step, next]).toContain(first.incident?.failedStep.id);
          expect(first.incident?.rolledBack).toEqual([]);
          expect(killed).toBe(true);
          const journal = await withClient(db.url, async (c) => (await readDeploy(c as pg.Client))?.record);
          expect(journal?.status).toBe('running');

          if (n++ % 2 === 0) {
            const again = await deploy(options(db, reference.plan));
            expect(again.resumed).toBe(true);
            expect(again.deploy?.status, `${moment} ${step}: resume`).toBe('succeeded');
            expect((await inspectPostgres(db.url)).hash).toBe(reference.deployedHash);
          } else {
            const undone = await rollbackDeploy({ url: db.url });
            expect(undone.complete, `${moment} ${step}: rollback ${JSON.stringify(undone.errors)}`).toBe(
              true,
            );
            expect((await inspectPostgres(db.url)).hash).toBe(reference.originalHash);
          }
          expect(await dataFingerprint(db.url)).toBe(data);
        } finally {
          await db.drop();
        }
      }
    }
  }, 600_000);

  it('the deploy connection killed in the middle of a backfill: the rerun continues after the last batch', async () => {
    const db = await fresh();
    try {
      const data = await dataFingerprint(db.url);
      let batches = 0;
      const kill = async (e: DeployEvent) => {
        if (e.type !== 'backfill-progress' || ++batches !== 3) return;
        faults++;
        await withClient(target.url, (c) => c.query('SELECT pg_terminate_backend($1)', [e.pid]));
      };
      const lost = await deploy(options(db, reference.plan, { onEvent: kill }));
      expect(lost.incident?.cause).toBe('connection lost');
      expect(lost.incident?.failedStep.id).toMatch(/^backfill/);
      const journal = await withClient(db.url, async (c) => (await readDeploy(c as pg.Client))?.record);
      const backfill = journal?.steps.find((s) => s.id.startsWith('backfill'));
      expect(backfill?.status).toBe('running');
      expect(backfill?.backfill?.batches).toBe(3); // three batches committed before the kill
      const done = backfill?.backfill?.rows ?? 0;
      const filled = async () =>
        withClient(db.url, async (c) =>
          Number((await c.query('SELECT count(tracking_id) AS n FROM users')).rows[0].n),
        );
      // The journal and the table agree: what it recorded is exactly what was committed.
      expect(done).toBeGreaterThan(0);
      expect(await filled()).toBe(done);

      const progress: number[] = [];
      const again = await deploy(
        options(db, reference.plan, {
          onEvent: (e) => void (e.type === 'backfill-progress' && progress.push(e.rows)),
        }),
      );
      expect(again.deploy?.status).toBe('succeeded');
      expect(progress[0]).toBeGreaterThan(done); // resumed after the rows already done
      expect(progress[progress.length - 1]).toBe(20_000);
      expect(await filled()).toBe(20_000);
      expect((await inspectPostgres(db.url)).hash).toBe(reference.deployedHash);
      expect(await dataFingerprint(db.url)).toBe(data);
    } finally {
      await db.drop();
    }
  }, 120_000);

  for (const kind of PROXY_FAULTS.deploy) {
    it(`the deploy connection ${kind === 'cut' ? 'cut' : 'frozen'} as a step is sent: an incident, then rollback restores the schema`, async () => {
      const db = await fresh();
      // A second of query timeout: a frozen connection is given up after about two.
      setNetworkTimeouts({ queryTimeoutMs: 1_000 });
      // The step's statement as a query message (NUL-terminated), not the plan in the journal's INSERT.
      const proxy = await startFaultProxy(db.url, { kind, whenClientSends: 'nickname text\u0000' });
      try {
        const p = await planFor(db, 'ALTER TABLE users ADD COLUMN nickname text');
        faults++;
        const started = Date.now();
        const result = await deploy(options(db, p, { url: proxy.url(db.url) }));
        expect(proxy.struck).toBe(1);
        expect(Date.now() - started).toBeLessThan(15_000);
        const incident = result.incident;
        expect(incident?.cause).toBe('connection lost');
        expect(incident?.failedStep.id).toBe(p.steps[0]?.id);
        expect(incident?.error.message).toMatch(
          kind === 'freeze' ? /did not answer a query within 2 s/ : /lost the connection to 127\.0\.0\.1:\d+/,
        );
        expect(incident?.target).toMatch(/^127\.0\.0\.1:\d+\/sp_test_/);
        expect(renderIncidentMarkdown(incident as NonNullable<typeof incident>, p)).toMatch(
          /connection to the database was cut, or stopped answering/,
        );
        // The journal says which step was running; our stuck session was ended, so it holds no lock.
        const journal = await withClient(db.url, async (c) => (await readDeploy(c as pg.Client))?.record);
        expect(journal?.status).toBe('running');
        expect(journal?.steps[0]?.status).toBe('running');
        expect(journal?.steps[0]?.attempts.at(-1)?.cause).toBe('connection lost');
        const lingering = await db.client.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'schemapilot deploy'`,
        );
        expect(lingering.rows[0].n).toBe(0);
        const undone = await rollbackDeploy({ url: db.url });
        expect(undone.complete).toBe(true);
        expect((await inspectPostgres(db.url)).hash).toBe(reference.originalHash);
      } finally {
        setNetworkTimeouts({ queryTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS });
        await proxy.close();
        await db.drop();
      }
    }, 60_000);
  }

  it('a batch rolled back by a failing journal write is redone by the retry, not skipped', async () => {
    const db = await fresh();
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      const p = await planFor(
        db,
        'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()',
        {
          lockTimeoutMs: 300,
          batchPauseMs: 0,
        },
      );
      let held = false;
      const retries: string[] = [];
      faults++;
      const result = await deploy(
        options(db, p, {
          onEvent: async (e) => {
            if (e.type === 'step-retry') retries.push(`${e.step} ${e.sqlstate ?? ''}`);
            if (e.type !== 'backfill-progress' || held) return;
            held = true;
            // The next batch's UPDATE succeeds, then its journal write waits on this row lock
            // until lock_timeout: the batch rolls back after its rows were counted.
            await holder.query('BEGIN');
            await holder.query(`SELECT 1 FROM schemapilot.journal WHERE step_id LIKE 'backfill%' FOR UPDATE`);
            setTimeout(() => void holder.query('ROLLBACK'), 600);
          },
        }),
      );
      expect(retries.some((r) => r.startsWith('backfill') && r.endsWith('55P03'))).toBe(true);
      expect(result.deploy?.status).toBe('succeeded');
      const { rows } = await db.client.query('SELECT count(*)::int AS n FROM users WHERE token IS NULL');
      expect(rows[0].n).toBe(0);
    } finally {
      await holder.end().catch(() => undefined);
      await db.drop();
    }
  }, 60_000);

  it('a session holding a conflicting lock: retries with backoff, then a clean abort whose report names it', async () => {
    const db = await fresh();
    const holder = new pg.Client({ connectionString: db.url, application_name: 'report-job' });
    await holder.connect();
    try {
      const p = await planFor(db, 'ALTER TABLE users ADD COLUMN nickname text', { lockTimeoutMs: 200 });
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM users /* nightly report */');
      faults++;
      const retries: number[] = [];
      const result = await deploy(
        options(db, p, {
          maxAttempts: 3,
          onEvent: (e) => void (e.type === 'step-retry' && retries.push(e.waitMs)),
        }),
      );
      expect(result.deploy?.status).toBe('rolled back');
      const incident = result.incident;
      expect(incident?.cause).toBe('lock timeout');
      expect(incident?.error.sqlstate).toBe('55P03');
      expect(incident?.failedStep.attempts).toHaveLength(3);
      expect(retries).toHaveLength(2);
      const holderPid = (holder as unknown as { processID: number }).processID;
      const blockers = incident?.failedStep.attempts.flatMap((a) => a.blockers) ?? [];
      expect(blockers.map((b) => b.pid)).toContain(holderPid);
      expect(blockers.find((b) => b.pid === holderPid)?.query).toContain('nightly report');
      const report = incident ? renderIncidentMarkdown(incident, p) : '';
      expect(report).toContain(String(holderPid));
      expect(report).toContain('nightly report');
      expect(report).toContain('report-job');
      expect(incident?.schemaRestored).toBe(true);
      await holder.query('COMMIT');
      expect((await inspectPostgres(db.url)).hash).toBe(reference.originalHash);
    } finally {
      await holder.end().catch(() => undefined);
      await db.drop();
    }
  }, 60_000);

  it('time budgets: a step or the whole transactional part that runs out of time is aborted and undone', async () => {
    const db = await fresh();
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      const p = await planFor(db, 'ALTER TABLE users ADD COLUMN nickname text', { lockTimeoutMs: 200 });
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM users LIMIT 1');
      faults += 2;
      // The first attempt alone (a 200 ms lock wait) uses up a 150 ms budget for all transactional steps.
      const total = await deploy(options(db, p, { totalBudgetMs: 150, maxAttempts: 10 }));
      expect(total.incident?.cause).toBe('total budget');
      expect(total.incident?.failedStep.attempts).toHaveLength(1);
      // A step budget shorter than one wait plus the backoff before the next attempt.
      const step = await deploy(options(db, p, { stepBudgetMs: 250, maxAttempts: 10 }));
      expect(step.incident?.cause).toBe('step budget');
      expect(step.deploy?.status).toBe('rolled back');
      expect((await inspectPostgres(db.url)).hash).toBe(reference.originalHash);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end().catch(() => undefined);
      await db.drop();
    }
  }, 60_000);

  it('application queries queued behind our lock wait: the watchdog cancels us within --max-blocking', async () => {
    const db = await fresh();
    const holder = new pg.Client({ connectionString: db.url });
    const app = new pg.Client({ connectionString: db.url, application_name: 'web' });
    await holder.connect();
    await app.connect();
    try {
      const p = await planFor(db, 'ALTER TABLE users ADD COLUMN nickname text', { lockTimeoutMs: 10_000 });
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM users LIMIT 1');
      faults++;
      let appMs = -1;
      const result = await deploy(
        options(db, p, {
          maxAttempts: 1,
          maxBlockingMs: 300,
          onEvent: (e) => {
            // Once our ALTER waits for its lock, the application's read queues behind it.
            if (e.type === 'step-start' && e.attempt === 1) {
              setTimeout(() => {
                const t = Date.now();
                void app.query('SELECT count(*) FROM users').then(() => (appMs = Date.now() - t));
              }, 100);
            }
          },
        }),
      );
      expect(result.incident?.cause).toBe('blocking others');
      const blocked = result.incident?.failedStep.attempts.flatMap((a) => a.blocked) ?? [];
      expect(blocked.some((s) => s.application === 'web')).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      // Cancelled after ~300 ms of blocking (the watchdog samples every 100 ms), not after 10 s.
      expect(appMs).toBeGreaterThan(0);
      expect(appMs).toBeLessThan(2_000);
    } finally {
      await holder.query('COMMIT').catch(() => undefined);
      await holder.end().catch(() => undefined);
      await app.end().catch(() => undefined);
      await db.drop();
    }
  }, 60_000);

  it('a step that fails on the data: the database goes back to the original schema', async () => {
    const db = await fresh();
    try {
      // Duplicate names: the unique index builds concurrently, fails, and leaves an INVALID index.
      await db.client.query("UPDATE users SET name = 'dup' WHERE id IN (1, 2)");
      const planned = await planFor(db, 'ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE (name)');
      // Duplicates that arrive after the pre-check looked: the build itself fails.
      const p = { ...planned, steps: planned.steps.map((s) => ({ ...s, preChecks: [] })) };
      const originalHash = (await inspectPostgres(db.url)).hash;
      faults++;
      const result = await deploy(options(db, p));
      expect(result.deploy?.status).toBe('rolled back');
      expect(result.incident?.error.sqlstate).toBe('23505');
      expect(result.incident?.schemaRestored).toBe(true);
      const invalid = await db.client.query(
        `SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid AND indrelid = 'users'::regclass`,
      );
      expect(invalid.rows[0].n).toBe(0);
      expect((await inspectPostgres(db.url)).hash).toBe(originalHash);

      // A NOT NULL over NULLs: the validate step's pre-check stops it, and everything is undone.
      const q = await planFor(db, 'ALTER TABLE users ALTER COLUMN name SET NOT NULL');
      await db.client.query('UPDATE users SET name = NULL WHERE id = 3');
      const before = (await inspectPostgres(db.url)).hash;
      faults++;
      const second = await deploy(options(db, { ...q, sourceSchemaHash: before }));
      expect(second.deploy?.status).toBe('rolled back');
      expect(second.incident?.error.message).toMatch(/pre-check failed: no NULL left/);
      expect((await inspectPostgres(db.url)).hash).toBe(before);
    } finally {
      await db.drop();
    }
  }, 60_000);

  it('a second deploy while one runs is refused, and so is a plan for another schema', async () => {
    const db = await fresh();
    try {
      let release: () => void = () => undefined;
      const paused = new Promise<void>((r) => (release = r));
      let started: () => void = () => undefined;
      const isRunning = new Promise<void>((r) => (started = r));
      const first = deploy(
        options(db, reference.plan, {
          onEvent: async (e) => {
            if (e.type === 'step-start' && e.step === reference.plan.steps[1]?.id && e.attempt === 1) {
              started();
              await paused;
            }
          },
        }),
      );
      await isRunning;
      faults++;
      const second = deploy(options(db, reference.plan));
      await expect(second).rejects.toBeInstanceOf(DeployRefusedError);
      await expect(second).rejects.toThrow(
        /another schemapilot deploy or rollback is running on this database \(pid \d+/,
      );
      release();
      expect((await first).deploy?.status).toBe('succeeded');
      // The schema moved on: the same plan (made for the original schema) is refused now.
      await expect(
        deploy(options(db, { ...reference.plan, steps: reference.plan.steps.slice(0, 1) })),
      ).rejects.toThrow(/live schema differs from the one the plan was made for/);
    } finally {
      await db.drop();
    }
  }, 60_000);
});
