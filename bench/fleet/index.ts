/**
 * `npm run bench fleet`: the whole `schemapilot fleet check --since main` over a generated fleet
 * of 20 services on 3 PostgreSQL databases, 5 of them with changed migrations (generate.ts), in a
 * git repository in a temp directory, run as a CI job runs it: one process from the checkout,
 * the JSON report written to a file (`--format json -o`). Variants, in rounds:
 *  - cold: the default, an embedded scratch server started (initdb) and stopped by the run;
 *  - warm: `--dev-url` on the bench server (already running), which shows the embedded server's share;
 *  - each with the default `--jobs` (the CPU count) and with `--jobs 1`;
 *  - cold again from the TypeScript sources (`node --import tsx src/cli/main.ts`).
 * The progress lines (`· [service] …` on stderr) are timestamped as they arrive, which gives each
 * service's span and, with --jobs 1, its stages. Target (issue 15): < 30 s on this machine.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/dialects/postgres/scratch/embedded-server.js';
import type { FleetReport } from '../../src/core/fleet.js';
import type { QueryTimes } from './pg-times.js';
import { fmtMs, median, runTimedNode, timeAsync, timeCommand } from '../lib.js';
import { CHANGES, writeFleetRepository, type GeneratedService } from './generate.js';

export const TARGET_MS = 30_000;
const ROUNDS = Number(process.env['BENCH_FLEET_ROUNDS'] ?? 5);

interface Variant {
  key: string;
  label: string;
  /** The node arguments before `fleet check` (the built CLI or the sources through tsx). */
  entry: string[];
  extra: string[];
}

export interface FleetRun {
  ms: number;
  exitCode: number;
  /** `· [service] message` lines with the time they arrived, ms after the spawn. */
  marks: { atMs: number; service: string; text: string }[];
  report: FleetReport;
}

export interface FleetBenchResult {
  services: GeneratedService[];
  queries: number;
  variants: { variant: Variant; runs: FleetRun[] }[];
  parts: { label: string; ms: number }[];
  loadBefore: number;
  loadAfter: number;
  scratchMajor: string;
  /** One more run (cold, --jobs 1) with every pg query timed: what the process waits for. */
  waits: { ms: number; times: QueryTimes };
}

const BUILT = ['dist/cli/main.js'];
const SOURCES = ['--import', 'tsx', 'src/cli/main.ts'];

function variants(devUrl: string): Variant[] {
  const jobs = cpus().length;
  return [
    {
      key: 'cold',
      label: `cold: embedded scratch server (default), --jobs ${jobs} (default)`,
      entry: BUILT,
      extra: [],
    },
    { key: 'cold-1', label: 'cold, --jobs 1', entry: BUILT, extra: ['--jobs', '1'] },
    {
      key: 'warm',
      label: `warm: --dev-url (server already running), --jobs ${jobs}`,
      entry: BUILT,
      extra: ['--dev-url', devUrl],
    },
    { key: 'warm-1', label: 'warm, --jobs 1', entry: BUILT, extra: ['--dev-url', devUrl, '--jobs', '1'] },
    {
      key: 'source',
      label: 'cold, from the sources (`node --import tsx src/cli/main.ts`)',
      entry: SOURCES,
      extra: [],
    },
  ];
}

export async function runFleetBench(serverUrl: string, log: (s: string) => void): Promise<FleetBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'schemapilot-bench-fleet-'));
  try {
    const fleet = writeFleetRepository(join(dir, 'repo'));
    log(
      `  ${fleet.services.length} services, ${fleet.queries} queries, in ${fleet.root} (branch feature, 5 changed)`,
    );
    const out = join(dir, 'report.json');
    const list = variants(serverUrl);
    const loadBefore = loadavg()[0] ?? 0;
    const results = list.map((variant) => ({ variant, runs: [] as FleetRun[] }));
    const run = (v: Variant) => runFleet(v, fleet.config, out);
    // One untimed run each: the binaries, the sources (tsx's cache) and the repository into the page cache.
    for (const v of list) {
      const r = await run(v);
      log(`  warm-up ${v.key}: ${fmtMs(r.ms)}, exit ${r.exitCode}, ${verdicts(r.report)}`);
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, v] of list.entries()) results[i]?.runs.push(await run(v));
      log(
        `  round ${round}/${ROUNDS}: ${results.map((r) => `${r.variant.key} ${fmtMs(r.runs.at(-1)?.ms ?? 0)}`).join(', ')}`,
      );
    }
    const loadAfter = loadavg()[0] ?? 0;
    log('  one more run with every query timed …');
    const waits = await timeQueries(fleet.config, out, join(dir, 'pg-times.json'));
    log('  the pieces on their own …');
    const parts = await timeParts(fleet.config, log);
    const cloning = results[0]?.runs[0]?.marks.find((m) => m.text.startsWith('cloning'))?.text ?? '';
    return {
      services: fleet.services,
      queries: fleet.queries,
      variants: results,
      parts,
      loadBefore,
      loadAfter,
      scratchMajor: /PostgreSQL (\d+)/.exec(cloning)?.[1] ?? '?',
      waits,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runFleet(v: Variant, config: string, out: string): Promise<FleetRun> {
  const args = [
    ...v.entry,
    'fleet',
    'check',
    '--config',
    config,
    '--since',
    'main',
    '--format',
    'json',
    '-o',
    out,
  ];
  const run = await runTimedNode([...args, ...v.extra], `fleet check (${v.key})`);
  const marks = run.lines.flatMap((l) => {
    const m = /^· \[([^\]]+)\] (.*)$/.exec(l.text);
    return m ? [{ atMs: l.atMs, service: m[1] ?? '', text: m[2] ?? '' }] : [];
  });
  const report = JSON.parse(readFileSync(out, 'utf8')) as FleetReport;
  rmSync(out);
  const checked = report.services.map((s) => s.service).sort();
  const expected = Object.keys(CHANGES).sort();
  // A run that checks other services than the changed ones measures something else.
  if (checked.join() !== expected.join())
    throw new Error(`fleet check (${v.key}) checked ${checked.join(', ')}; expected ${expected.join(', ')}`);
  return { ms: run.ms, exitCode: run.exitCode, marks, report };
}

/** The cold --jobs 1 run again, with pg-times.ts loaded into the CLI's process. */
async function timeQueries(config: string, out: string, file: string): Promise<FleetBenchResult['waits']> {
  const hook = ['--import', 'tsx', '--import', './bench/fleet/pg-times.ts'];
  process.env['BENCH_FLEET_PG_TIMES'] = file;
  try {
    const run = await runFleet(
      { key: 'pg-times', label: '', entry: [...hook, ...BUILT], extra: ['--jobs', '1'] },
      config,
      out,
    );
    return { ms: run.ms, times: JSON.parse(readFileSync(file, 'utf8')) as QueryTimes };
  } finally {
    delete process.env['BENCH_FLEET_PG_TIMES'];
  }
}

const verdicts = (r: FleetReport) => r.services.map((s) => `${s.service} ${s.verdict}`).join(', ');

/** Node's start, reading the config and git's diff, and the embedded server, each on its own. */
async function timeParts(config: string, log: (s: string) => void): Promise<{ label: string; ms: number }[]> {
  const node = (args: string[]) => timeCommand(process.execPath, args, {}, [0, 1]);
  const three = async (fn: () => Promise<number>) => median([await fn(), await fn(), await fn()]);
  const parts = [
    { label: '`node -e 0`', ms: await three(() => node(['-e', '0'])) },
    {
      label:
        '`schemapilot fleet list --changed --since main --format json` (node start, the config, `git diff`)',
      ms: await three(() =>
        node([
          ...BUILT,
          'fleet',
          'list',
          '--config',
          config,
          '--changed',
          '--since',
          'main',
          '--format',
          'json',
        ]),
      ),
    },
  ];
  const start: number[] = [];
  const stop: number[] = [];
  for (let i = 0; i < 3; i++) {
    let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
    start.push(await timeAsync(async () => (server = await startEmbeddedPostgres())));
    stop.push(await timeAsync(async () => server?.stop()));
  }
  parts.push(
    { label: 'embedded PostgreSQL start (initdb + pg_ctl start), in process', ms: median(start) },
    { label: 'embedded PostgreSQL stop (and data directory removed), in process', ms: median(stop) },
  );
  for (const p of parts) log(`  ${p.label}: ${fmtMs(p.ms)}`);
  return parts;
}

/** The run whose time is the median of its variant (the lower middle for an even count). */
function medianRun(runs: readonly FleetRun[]): FleetRun | undefined {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Each service's first and last progress line. */
function spans(run: FleetRun): { service: string; first: number; last: number }[] {
  const out = new Map<string, { service: string; first: number; last: number }>();
  for (const m of run.marks) {
    const s = out.get(m.service);
    if (s) s.last = m.atMs;
    else out.set(m.service, { service: m.service, first: m.atMs, last: m.atMs });
  }
  return [...out.values()];
}

const STAGES = [
  'reading the migrations, replaying the unchanged ones (the first service also waits for the scratch server)',
  'validation: analyze + plan, clone, run as written on a twin, apply the steps with lock tracing, roll back',
  "impact: extract the neighbours' queries, load the schema again, prepare the queries before, after each step and as written",
] as const;

/**
 * With --jobs 1 the services run one after another, so each stage ends where the next begins:
 * reading → cloning, cloning → impact, impact → the next service's first line (the last
 * service's impact ends at the exit, with the server stop and the report in it).
 */
function stages(run: FleetRun): { before: number; stages: number[]; after: number } {
  const totals = [0, 0, 0];
  const order = spans(run);
  let last = 0;
  order.forEach((span, i) => {
    const own = run.marks.filter((m) => m.service === span.service);
    const cloning = own.find((m) => m.text.startsWith('cloning'))?.atMs ?? span.first;
    const impact = own.find((m) => m.text.startsWith('impact:'))?.atMs ?? cloning;
    const end = order[i + 1]?.first ?? span.last;
    totals[0] = (totals[0] ?? 0) + (cloning - span.first);
    totals[1] = (totals[1] ?? 0) + (impact - cloning);
    totals[2] = (totals[2] ?? 0) + (end - impact);
    last = end;
  });
  return { before: order[0]?.first ?? 0, stages: totals, after: run.ms - last };
}

const pct = (part: number, whole: number) => `${Math.round((100 * part) / whole)} %`;

export function formatFleet(r: FleetBenchResult): string {
  const count = <K extends string>(key: (s: GeneratedService) => K) => {
    const m = new Map<K, number>();
    for (const s of r.services) m.set(key(s), (m.get(key(s)) ?? 0) + 1);
    return [...m].map(([k, n]) => `${n} ${k}`).join(', ');
  };
  const langName = { ts: 'TypeScript', py: 'Python', go: 'Go' } as const;
  const tables = r.services.reduce((n, s) => n + s.tables.length, 0);
  const lines: string[] = [
    `${r.services.length} services on 3 databases (${count((s) => s.database)}), ${tables} tables; migrations: ${count((s) => s.layout)}; ` +
      `code: ${count((s) => langName[s.lang])} (${r.queries} queries; ${r.services.filter((s) => s.reads.length > 0).length} services also read tables of others on their database, ${r.services.filter((s) => s.joins).length} of them in a join with their own). ` +
      `Branch \`feature\` adds a migration to 5 services and changes one other service's code and the README. ` +
      `Whole-process wall time of \`schemapilot fleet check --since main --format json -o …\`, median of ${ROUNDS} rounds after one untimed run each ` +
      `(load average ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after: two cores shared). Scratch server: embedded PostgreSQL ${r.scratchMajor} (cold), the bench server (warm).`,
    '',
    '| variant | median | min – max | exit | target < 30 s |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const { variant, runs } of r.variants) {
    const ms = runs.map((x) => x.ms);
    const exits = [...new Set(runs.map((x) => x.exitCode))].join('/');
    lines.push(
      `| ${variant.label} | **${fmtMs(median(ms))}** | ${fmtMs(Math.min(...ms))} – ${fmtMs(Math.max(...ms))} | ${exits} | ${median(ms) < TARGET_MS ? 'met' : 'missed'} |`,
    );
  }

  const all = r.variants.flatMap((v) => v.runs);
  const first = all[0]?.report;
  const same = all.every((x) => verdicts(x.report) === verdicts(first ?? x.report));
  lines.push(
    '',
    `What was checked (${same ? 'the same verdicts in every run' : '**verdicts differed between runs**: the first run shown'}; exactly the 5 changed services, ${first?.unchanged.length ?? 0} unchanged):`,
    '',
    "| service | database | layout | the change | verdict | plan steps | services affected | queries checked (its own and its neighbours') |",
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const s of first?.services ?? []) {
    const gen = r.services.find((g) => g.name === s.service);
    const impact = (s.check as { impact?: ImpactJson } | undefined)?.impact;
    const found = impact?.services.reduce((n, x) => n + x.queriesFound, 0) ?? 0;
    const checked = impact?.services.reduce((n, x) => n + x.queriesChecked, 0) ?? 0;
    const before = impact?.services.reduce((n, x) => n + x.alreadyBroken.length, 0) ?? 0;
    lines.push(
      `| ${s.service} | ${s.database ?? ''} | ${gen?.layout ?? ''} | ${CHANGES[s.service]?.expect ?? ''} | ${s.verdict} | ${s.summary.planSteps ?? '–'} | ${s.summary.servicesAffected.join(', ') || 'none'} | ${checked} of ${found} (${before} already fail before the migration) |`,
    );
  }

  const mid = medianRun(r.variants.find((v) => v.variant.key === 'cold')?.runs ?? []);
  if (mid) {
    lines.push(
      '',
      `Timeline of the median default run (${fmtMs(mid.ms)}; first and last progress line of each service, ms after the spawn):`,
      '',
      '| service | first line | last line | span |',
      '| --- | --- | --- | --- |',
      ...spans(mid).map(
        (s) => `| ${s.service} | ${fmtMs(s.first)} | ${fmtMs(s.last)} | ${fmtMs(s.last - s.first)} |`,
      ),
      `| (exit) | | ${fmtMs(mid.ms)} | |`,
    );
  }

  const serial = ['cold-1', 'warm-1'].flatMap((key) => {
    const v = r.variants.find((x) => x.variant.key === key);
    const run = v && medianRun(v.runs);
    return run && v ? [{ label: v.variant.label, run, s: stages(run) }] : [];
  });
  if (serial.length > 0) {
    lines.push(
      '',
      'Where the time goes, with `--jobs 1` (the median run; each stage summed over the 5 services, which run one after another):',
      '',
      `| stage | ${serial.map((x) => `${x.label} (${fmtMs(x.run.ms)})`).join(' | ')} |`,
      `| --- | ${serial.map(() => '---').join(' | ')} |`,
      `| node start, the config, \`git diff\`, until the first service starts | ${serial.map((x) => `${fmtMs(x.s.before)} (${pct(x.s.before, x.run.ms)})`).join(' | ')} |`,
      ...STAGES.map(
        (label, i) =>
          `| ${label} | ${serial.map((x) => `${fmtMs(x.s.stages[i] ?? 0)} (${pct(x.s.stages[i] ?? 0, x.run.ms)})`).join(' | ')} |`,
      ),
      `| the last service's end, stop the scratch server, write the report | ${serial.map((x) => `${fmtMs(x.s.after)} (${pct(x.s.after, x.run.ms)})`).join(' | ')} |`,
    );
  }

  const { ms: waitMs, times } = r.waits;
  const sum = times.kinds.reduce((n, k) => n + k.ms, 0);
  const calls = times.kinds.reduce((n, k) => n + k.calls, 0);
  lines.push(
    '',
    `What the process waits for: one more run (cold, \`--jobs 1\`, ${fmtMs(waitMs)}) with every \`pg\` query and connect timed on the client ([\`fleet/pg-times.ts\`](fleet/pg-times.ts)), the largest kinds:`,
    '',
    '| kind | calls | time | share of the run |',
    '| --- | --- | --- | --- |',
    ...times.kinds
      .slice(0, 10)
      .map(
        (k) => `| ${k.kind.replaceAll('|', '\\|')} | ${k.calls} | ${fmtMs(k.ms)} | ${pct(k.ms, waitMs)} |`,
      ),
    `| all ${calls} calls | | ${fmtMs(sum)} | ${pct(sum, waitMs)} |`,
  );

  lines.push('', 'Pieces, timed on their own (median of 3):', '', '| piece | time |', '| --- | --- |');
  for (const p of r.parts) lines.push(`| ${p.label} | ${fmtMs(p.ms)} |`);
  return lines.join('\n');
}

/** The part of `check --format json`'s impact a row needs. */
interface ImpactJson {
  services: { queriesFound: number; queriesChecked: number; alreadyBroken: unknown[] }[];
}
