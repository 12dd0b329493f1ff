/**
 * bench/deploy: what the application sees while a risky change runs on a big table, with the
 * naive migration and with schemapilot's deploy of the plan, side by side.
 *
 * A base database (sp_bench_deploy_base) holds `big` (BENCH_DEPLOY_ROWS rows, default 1,000,000)
 * and `parent` (1,000 rows), VACUUM ANALYZEd. Every run starts from its own copy of it
 * (`CREATE DATABASE sp_bench_deploy_run TEMPLATE sp_bench_deploy_base`, then CHECKPOINT), so
 * all runs start alike. In each run a separate process (bench/deploy/load.ts) plays the
 * application: BENCH_DEPLOY_CONNECTIONS connections (default 6) in a closed loop of point
 * SELECTs, UPDATEs of a non-indexed column and INSERTs on `big`, and reads and updates of
 * `parent`, every query timed on the client. It warms up 2 s, the migration runs, the load goes
 * on 1 s more. The figures are those of the application queries that overlapped the migration.
 *
 * Modes: naive (the statement as written, one connection) and schemapilot (inspect + plan
 * before the load starts, then deploy() of every step, contract included, with the default
 * limits). A baseline run (the load alone, no migration) gives the floor on this machine.
 * Meanwhile a sampler reads pg_stat_activity every 25 ms for application sessions waiting on a
 * lock and who blocks them, to explain the slowest queries.
 *
 * Target (issue): with schemapilot, zero application errors and no application query delayed
 * more than 100 ms.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type * as PlanApi from '../../src/api/plan.js';
import type { Plan } from '../../src/core/plan.js';
import type * as DeployApi from '../../src/api/deploy.js';
import type * as Introspect from '../../src/dialects/postgres/introspect.js';
import type * as Formats from '../../src/formats/read.js';
import { databaseUrl, fmtMs, median, timeAsync, withClient } from '../lib.js';
import type { ChildMessage, LoadConfig, ParentMessage, WindowStats } from './load.js';

const BASE = 'sp_bench_deploy_base';
const RUN = 'sp_bench_deploy_run';
const PARENTS = 1_000;
const WARM_UP_MS = 2_000;
const COOL_DOWN_MS = 1_000;
const BASELINE_MS = 5_000;
const SAMPLE_MS = 25;
export const TARGET_MAX_MS = 100;

export interface DeployCase {
  key: string;
  label: string;
  sql: string;
  /** True when the change is in place (run after the migration). */
  verify: string;
}

export const CASES: DeployCase[] = [
  {
    key: 'volatile-default',
    label: 'NOT NULL column, volatile default',
    sql: 'ALTER TABLE big ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()',
    verify: `SELECT bool_and(attnotnull) AND count(*) = 1 AS ok FROM pg_attribute
             WHERE attrelid = 'big'::regclass AND attname = 'token' AND NOT attisdropped`,
  },
  {
    key: 'index',
    label: 'CREATE INDEX',
    sql: 'CREATE INDEX big_payload_idx ON big (payload)',
    verify: `SELECT coalesce(bool_and(indisvalid), false) AS ok FROM pg_index WHERE indexrelid = to_regclass('big_payload_idx')`,
  },
  {
    key: 'foreign-key',
    label: 'ADD FOREIGN KEY',
    sql: 'ALTER TABLE big ADD CONSTRAINT big_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)',
    verify: `SELECT coalesce(bool_and(convalidated), false) AS ok FROM pg_constraint WHERE conname = 'big_parent_fk'`,
  },
  {
    key: 'type-change',
    label: 'column type int → bigint',
    sql: 'ALTER TABLE big ALTER COLUMN amount TYPE bigint',
    verify: `SELECT bool_and(atttypid = 'int8'::regtype) AND count(*) = 1 AS ok FROM pg_attribute
             WHERE attrelid = 'big'::regclass AND attname LIKE 'amount%' AND NOT attisdropped`,
  },
];

export type Mode = 'baseline' | 'naive' | 'schemapilot';

export interface StepTiming {
  step: string;
  /** ms from the migration's start. */
  start: number;
  end: number | null;
  attempts: number;
  batches: number;
  /** ms between consecutive backfill batches' commits (batch + pause + checks), and the longest. */
  medianBatchGap: number;
  maxBatchGap: number;
  /** Why attempts were retried (the deploy's step-retry events). */
  retries: string[];
}

export interface LockWait {
  /** Epoch ms of the sample. */
  at: number;
  waitedMs: number;
  waitEvent: string;
  blockerApp: string;
  blockerQuery: string;
}

export interface RunResult {
  caseKey: string;
  label: string;
  mode: Mode;
  migrationMs: number;
  /** Epoch ms when the migration started. */
  startedAt: number;
  window: WindowStats;
  whole: WindowStats;
  steps: StepTiming[];
  planSteps: string[];
  lockWaits: LockWait[];
  verified: boolean;
  /** The migration's own failure (naive error, deploy incident or refusal). */
  failure: string | null;
}

export interface DeployBenchResult {
  rows: number;
  parents: number;
  tableBytes: number;
  connections: number;
  thinkMs: number;
  buildMs: number;
  runs: RunResult[];
}

interface Dist {
  plan: typeof PlanApi.plan;
  deploy: typeof DeployApi.deploy;
  limits: typeof DeployApi.DEFAULT_DEPLOY_LIMITS;
  inspectPostgres: typeof Introspect.inspectPostgres;
  inlineMigration: typeof Formats.inlineMigration;
}

/** The built modules in dist/ (the runner builds them first), as a library user would load them. */
async function loadDist(): Promise<Dist> {
  const from = async <T>(path: string) =>
    (await import(new URL(`../../dist/${path}`, import.meta.url).href)) as T;
  const planApi = await from<typeof PlanApi>('api/plan.js');
  const deployApi = await from<typeof DeployApi>('api/deploy.js');
  const introspect = await from<typeof Introspect>('dialects/postgres/introspect.js');
  const formats = await from<typeof Formats>('formats/read.js');
  return {
    plan: planApi.plan,
    deploy: deployApi.deploy,
    limits: deployApi.DEFAULT_DEPLOY_LIMITS,
    inspectPostgres: introspect.inspectPostgres,
    inlineMigration: formats.inlineMigration,
  };
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DeployBenchOptions {
  rows?: number;
  cases?: readonly string[];
}

export async function runDeployBench(
  serverUrl: string,
  log: (s: string) => void,
  options: DeployBenchOptions = {},
): Promise<DeployBenchResult> {
  const rows = options.rows ?? Number(process.env['BENCH_DEPLOY_ROWS'] ?? 1_000_000);
  const connections = Number(process.env['BENCH_DEPLOY_CONNECTIONS'] ?? 6);
  const thinkMs = Number(process.env['BENCH_DEPLOY_THINK_MS'] ?? 0);
  const only = options.cases ?? process.env['BENCH_DEPLOY_CASES']?.split(',').filter(Boolean);
  const cases = only?.length ? CASES.filter((c) => only.includes(c.key)) : CASES;
  const dist = await loadDist();
  const major = await withClient(serverUrl, async (c) =>
    Number(
      (await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]?.v ?? 0,
    ),
  );
  if (major < 130000) throw new Error('bench/deploy needs PostgreSQL 13 or later (gen_random_uuid)');
  const copy = major >= 150000 ? ' STRATEGY FILE_COPY' : '';
  const runUrl = databaseUrl(serverUrl, RUN);
  const dropAll = () =>
    withClient(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${RUN} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${BASE} WITH (FORCE)`);
    });

  try {
    const built = await buildBase(serverUrl, rows, log);
    const fresh = () =>
      withClient(serverUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${RUN} WITH (FORCE)`);
        await c.query(`CREATE DATABASE ${RUN} TEMPLATE ${BASE}${copy}`);
        await c.query('CHECKPOINT');
      });
    const load: LoadConfig = { url: runUrl, connections, rows, parents: PARENTS, thinkMs, capMs: 30_000 };
    const runs: RunResult[] = [];
    const report = (r: RunResult) => {
      runs.push(r);
      log(
        `  ${r.caseKey} ${r.mode}: ${fmtMs(r.migrationMs)}, ${r.window.count} queries, p99 ${ms1(r.window.p99)}, max ${ms1(r.window.max)}, errors ${r.window.errors}${r.failure ? `, FAILED: ${r.failure}` : ''}${r.verified ? '' : ', change NOT in place'}`,
      );
    };

    await fresh();
    report(
      await measure(runUrl, load, { caseKey: 'baseline', label: 'none (load only)', mode: 'baseline' }, () =>
        sleep(BASELINE_MS).then(() => ({ failure: null })),
      ),
    );
    for (const c of cases) {
      await fresh();
      report(
        await measure(
          runUrl,
          load,
          { caseKey: c.key, label: c.label, mode: 'naive' },
          () => naive(runUrl, c),
          c,
        ),
      );
      await fresh();
      const p = await planFor(dist, runUrl, c);
      log(`  ${c.key}: plan of ${p.steps.length} step(s): ${p.steps.map((s) => s.id).join(', ')}`);
      report(
        await measure(
          runUrl,
          load,
          { caseKey: c.key, label: c.label, mode: 'schemapilot' },
          (onStep) => viaDeploy(dist, runUrl, p, onStep),
          c,
          p.steps.map((s) => s.id),
        ),
      );
    }
    return { rows, parents: PARENTS, tableBytes: built.bytes, connections, thinkMs, buildMs: built.ms, runs };
  } finally {
    await dropAll();
  }
}

async function buildBase(
  serverUrl: string,
  rows: number,
  log: (s: string) => void,
): Promise<{ ms: number; bytes: number }> {
  log(`  building ${BASE}: big with ${rows.toLocaleString('en-US')} rows, parent with ${PARENTS} …`);
  const url = databaseUrl(serverUrl, BASE);
  const ms = await timeAsync(async () => {
    await withClient(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${RUN} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${BASE} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${BASE}`);
    });
    await withClient(url, async (c) => {
      await c.query(`
        CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL);
        INSERT INTO parent SELECT g, 'parent ' || g FROM generate_series(1, ${PARENTS}) g;
        CREATE TABLE big (
          id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
          parent_id int NOT NULL,
          amount int NOT NULL,
          payload text NOT NULL,
          note text,
          created_at timestamptz NOT NULL DEFAULT now()
        );`);
      const chunk = 1_000_000;
      for (let from = 1; from <= rows; from += chunk) {
        const to = Math.min(rows, from + chunk - 1);
        await c.query(
          `INSERT INTO big (id, parent_id, amount, payload)
           SELECT g, 1 + g % ${PARENTS}, (g::bigint * 7919 % 1000000)::int, md5(g::text) FROM generate_series(${from}, ${to}) g`,
        );
        if (rows > chunk) log(`    ${to.toLocaleString('en-US')} rows`);
      }
      await c.query(`SELECT setval(pg_get_serial_sequence('big', 'id'), ${rows})`);
      await c.query('VACUUM ANALYZE');
    });
  });
  const bytes = await withClient(url, async (c) =>
    Number((await c.query<{ b: string }>(`SELECT pg_total_relation_size('big')::text AS b`)).rows[0]?.b ?? 0),
  );
  log(`  built in ${fmtMs(ms)}: big is ${(bytes / 2 ** 20).toFixed(0)} MiB with its index`);
  return { ms, bytes };
}

async function planFor(dist: Dist, url: string, c: DeployCase): Promise<Plan> {
  const snapshot = await dist.inspectPostgres(url);
  return dist.plan({ files: [dist.inlineMigration(`${c.key}.sql`, `${c.sql};\n`, null)], snapshot });
}

type StepListener = (e: { type: string; step?: string; cause?: string }) => void;
type Migration = (onStep: StepListener) => Promise<{ failure: string | null }>;

async function naive(url: string, c: DeployCase): Promise<{ failure: string | null }> {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-naive' });
  await client.connect();
  try {
    await client.query(c.sql);
    return { failure: null };
  } catch (error) {
    return { failure: (error as Error).message };
  } finally {
    await client.end();
  }
}

async function viaDeploy(
  dist: Dist,
  url: string,
  p: Plan,
  onStep: StepListener,
): Promise<{ failure: string | null }> {
  try {
    const result = await dist.deploy({ ...dist.limits, url, plan: p, onEvent: (e) => onStep(e) });
    if (!result.incident) return { failure: null };
    const i = result.incident;
    return {
      failure: `${i.failedStep.id}: ${i.cause}: ${i.error.message} (deploy ${i.deploy.status})`,
    };
  } catch (error) {
    return { failure: (error as Error).message };
  }
}

/** One run: start the application, warm up, migrate, cool down, stop; with the lock sampler. */
async function measure(
  url: string,
  config: LoadConfig,
  what: Pick<RunResult, 'caseKey' | 'label' | 'mode'>,
  migrate: Migration,
  c?: DeployCase,
  planSteps: string[] = [],
): Promise<RunResult> {
  const app = await startLoad(config);
  const sampler = new LockSampler(url);
  await sampler.start();
  const steps: StepTiming[] = [];
  const gaps = new Map<StepTiming, { last: number; all: number[] }>();
  let started = 0;
  let outcome: { failure: string | null };
  let migrationMs: number;
  try {
    await sleep(WARM_UP_MS);
    started = now();
    outcome = await migrate((e) => {
      const at = now() - started;
      if (!e.step) return;
      let s = steps.find((x) => x.step === e.step);
      if (!s && e.type === 'step-start') {
        s = {
          step: e.step,
          start: at,
          end: null,
          attempts: 0,
          batches: 0,
          medianBatchGap: 0,
          maxBatchGap: 0,
          retries: [],
        };
        gaps.set(s, { last: at, all: [] });
        steps.push(s);
      }
      if (!s) return;
      if (e.type === 'step-start') s.attempts++;
      if (e.type === 'step-done') s.end = at;
      if (e.type === 'step-retry') s.retries.push(`${e.cause ?? '?'} at ${fmtMs(at)}`);
      if (e.type === 'backfill-progress') {
        s.batches++;
        const g = gaps.get(s);
        if (g) {
          g.all.push(at - g.last);
          g.last = at;
          s.medianBatchGap = median(g.all);
          s.maxBatchGap = Math.max(...g.all);
        }
      }
    });
    migrationMs = now() - started;
    await sleep(COOL_DOWN_MS);
  } catch (error) {
    await app.kill();
    await sampler.stop();
    throw error;
  }
  const result = await app.stop([started, started + migrationMs]);
  const lockWaits = await sampler.stop();
  const verified = c
    ? await withClient(
        url,
        async (client) => (await client.query<{ ok: boolean | null }>(c.verify)).rows[0]?.ok === true,
      )
    : true;
  return {
    ...what,
    migrationMs,
    startedAt: started,
    window: result.window,
    whole: result.whole,
    steps,
    planSteps,
    lockWaits,
    verified,
    failure: outcome.failure,
  };
}

interface LoadProcess {
  stop(window: [number, number]): Promise<{ window: WindowStats; whole: WindowStats }>;
  kill(): Promise<void>;
}

/** Fork bench/deploy/load.ts (under the same tsx loader as this process) and wait until it runs. */
function startLoad(config: LoadConfig): Promise<LoadProcess> {
  const child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let resultWaiter: ((r: { window: WindowStats; whole: WindowStats }) => void) | undefined;
  let failWaiter: ((e: Error) => void) | undefined;
  return new Promise((resolve, reject) => {
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready')
        resolve({
          stop: (window) =>
            new Promise((res, rej) => {
              resultWaiter = res;
              failWaiter = rej;
              child.send({ type: 'stop', window } satisfies ParentMessage);
            }),
          kill: async () => {
            child.kill();
          },
        });
      else if (m.type === 'result') resultWaiter?.({ window: m.window, whole: m.whole });
      else reject(new Error(`load process: ${m.message}`));
    });
    child.on('exit', (code) => {
      const error = new Error(`load process exited ${code}`);
      reject(error);
      failWaiter?.(error);
    });
    child.on('error', reject);
  });
}

/** Samples application sessions waiting on a lock, and who blocks them, every SAMPLE_MS. */
class LockSampler {
  private client: pg.Client;
  private waits: LockWait[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(url: string) {
    this.client = new pg.Client({ connectionString: url, application_name: 'bench-sampler' });
    this.client.on('error', () => undefined);
  }

  async start(): Promise<void> {
    await this.client.connect();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const at = now();
        try {
          const { rows } = await this.client.query<{
            waited: number;
            wait_event: string;
            app: string;
            query: string;
          }>(
            `SELECT (extract(epoch FROM clock_timestamp() - a.query_start) * 1000)::float8 AS waited,
                    a.wait_event, coalesce(b.application_name, '') AS app, left(b.query, 300) AS query
             FROM pg_stat_activity a
             CROSS JOIN LATERAL unnest(pg_blocking_pids(a.pid)) AS blocker(pid)
             JOIN pg_stat_activity b ON b.pid = blocker.pid
             WHERE a.application_name = 'bench-load' AND a.wait_event_type = 'Lock'
               AND a.datname = current_database()`,
          );
          for (const r of rows)
            this.waits.push({
              at,
              waitedMs: r.waited,
              waitEvent: r.wait_event,
              blockerApp: r.app,
              blockerQuery: r.query,
            });
        } catch {
          // a failed sample is a missing sample
        }
        await sleep(SAMPLE_MS);
      }
    })();
  }

  async stop(): Promise<LockWait[]> {
    this.running = false;
    await this.loop;
    await this.client.end().catch(() => undefined);
    return this.waits;
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const ms1 = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const oneLine = (s: string, n = 110) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

function errorsText(w: WindowStats): string {
  if (w.errors === 0) return '0';
  const codes = Object.entries(w.sqlstates)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  return `**${w.errors}** (${codes})`;
}

export function meetsTarget(r: RunResult): boolean {
  return r.window.errors === 0 && r.window.max <= TARGET_MAX_MS && r.failure === null && r.verified;
}

/** The deploy step that was running at epoch time `at`, or what the deploy was doing between steps. */
function stepAt(r: RunResult, at: number): string {
  const t = at - r.startedAt;
  const s = r.steps.find((x) => t >= x.start && t <= (x.end ?? r.migrationMs));
  if (s) return s.step;
  if (t < 0) return 'before the deploy';
  if (t > r.migrationMs) return 'after the deploy';
  const next = r.steps.find((x) => x.start > t);
  return next ? `before ${next.step} (deploy bookkeeping)` : 'after the last step (deploy bookkeeping)';
}

/** The longest lock wait sampled during [from, to] (epoch ms). */
function blockerDuring(r: RunResult, from: number, to: number): LockWait | undefined {
  return r.lockWaits.filter((w) => w.at >= from && w.at <= to).sort((a, b) => b.waitedMs - a.waitedMs)[0];
}

function longestWait(r: RunResult): LockWait | undefined {
  return [...r.lockWaits].sort((a, b) => b.waitedMs - a.waitedMs)[0];
}

export function formatDeploy(r: DeployBenchResult): string {
  const lines: string[] = [
    `Table \`big\`: ${r.rows.toLocaleString('en-US')} rows, ${(r.tableBytes / 2 ** 20).toFixed(0)} MiB with its primary key; \`parent\`: ${r.parents.toLocaleString('en-US')} rows ` +
      `(base database built in ${fmtMs(r.buildMs)}; every run on a fresh copy of it). Application: ${r.connections} connections in a closed loop` +
      `${r.thinkMs > 0 ? ` (${r.thinkMs} ms pause after each query)` : ''}, 40 % point SELECT on big, 25 % UPDATE big.note by id, 15 % INSERT into big, ` +
      `10 % SELECT parent, 10 % UPDATE parent.name; figures are for the application queries that overlapped the migration ` +
      `(latency measured by the client; errors include queries cut at the 30 s cap). schemapilot: inspect + plan before the load, then deploy() of all steps with the default limits.`,
    '',
    '| case | mode | migration | app queries (q/s) | p50 | p99 | max | > 100 ms | errors | target (0 errors, max ≤ 100 ms) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const run of r.runs) {
    const w = run.window;
    const target =
      run.mode !== 'schemapilot'
        ? ''
        : meetsTarget(run)
          ? 'met'
          : `**missed**${run.failure ? ` (deploy failed: ${oneLine(run.failure, 80)})` : ''}${run.verified ? '' : ' (change not in place)'}`;
    const mode =
      run.mode === 'schemapilot'
        ? `schemapilot (${run.planSteps.length} step${run.planSteps.length === 1 ? '' : 's'})`
        : run.mode === 'naive'
          ? 'naive'
          : '—';
    lines.push(
      `| ${run.label} | ${mode} | ${fmtMs(run.migrationMs)}${run.mode === 'naive' && run.failure ? ` (failed: ${oneLine(run.failure, 60)})` : ''} | ${w.count.toLocaleString('en-US')} (${Math.round(w.perSecond)}) | ${ms1(w.p50)} | ${ms1(w.p99)} | ${run.mode === 'schemapilot' ? '**' + ms1(w.max) + '**' : ms1(w.max)} | ${w.over100} | ${errorsText(w)} | ${target} |`,
    );
  }

  lines.push(
    '',
    'What held the application up: the longest lock wait sampled (pg_stat_activity every 25 ms) and the slowest query by kind.',
    '',
  );
  lines.push(
    '| case | mode | longest lock wait seen, behind | slowest query by kind |',
    '| --- | --- | --- | --- |',
  );
  for (const run of r.runs) {
    if (run.mode === 'baseline') continue;
    const w = longestWait(run);
    const behind = w
      ? `${ms1(w.waitedMs)} (${w.waitEvent}) behind ${w.blockerApp || '?'}: \`${oneLine(w.blockerQuery, 90).replace(/\|/g, '\\|')}\``
      : 'none';
    const byKind = Object.entries(run.window.maxByOp)
      .sort((a, b) => b[1] - a[1])
      .map(([op, v]) => `${op} ${ms1(v)}`)
      .join(', ');
    lines.push(`| ${run.label} | ${run.mode} | ${behind} | ${byKind} |`);
  }

  const spRuns = r.runs.filter((x) => x.mode === 'schemapilot');
  lines.push(
    '',
    "schemapilot's deploy step by step (time from the deploy's start; batches = backfill batches):",
    '',
  );
  for (const run of spRuns) {
    const steps = run.steps
      .map(
        (s) =>
          `${s.step} ${fmtMs(s.start)}–${s.end === null ? 'failed' : fmtMs(s.end)}${s.attempts > 1 ? ` (${s.attempts} attempts; retried after: ${s.retries.join(', ')})` : ''}${s.batches ? ` (${s.batches} batches, one every ${fmtMs(s.medianBatchGap)} median, longest gap ${fmtMs(s.maxBatchGap)})` : ''}`,
      )
      .join('; ');
    lines.push(`- *${run.label}* (${fmtMs(run.migrationMs)} in all): ${steps || 'no step ran'}.`);
  }

  const slow = spRuns.filter((x) => x.window.worst.some((q) => q.ms > TARGET_MAX_MS || q.error));
  if (slow.length > 0) {
    lines.push(
      '',
      'Application queries over 100 ms (or failed) during the deploy, at most five per case:',
      '',
    );
    lines.push('| case | at (from deploy start) | query | latency | during | blocked behind (sampled) |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const run of slow)
      for (const q of run.window.worst.filter((x) => x.ms > TARGET_MAX_MS || x.error).slice(0, 5)) {
        const b = blockerDuring(run, q.at, q.at + q.ms);
        lines.push(
          `| ${run.label} | ${fmtMs(q.at - run.startedAt)} | ${q.op}${q.error ? ` (error ${q.error})` : ''} | ${ms1(q.ms)} | ${stepAt(run, q.at)} | ${b ? `${b.blockerApp}: \`${oneLine(b.blockerQuery, 80).replace(/\|/g, '\\|')}\` (${b.waitEvent})` : 'no lock wait sampled'} |`,
        );
      }
  }
  return lines.join('\n');
}
