/**
 * bench/check: how long the whole dry run takes, `schemapilot check <migration> --db <target>
 * --dry-run` (analyze -> plan -> validate on a scratch database), on a 200-table schema with data.
 *
 * A fresh database (sp_bench_check) is built on the bench server from bench/check/generate.ts:
 * 200 tables of four shapes with foreign keys, indexes, two views and 1,000-10,000 rows each
 * (four of 100,000), ANALYZEd; it is dropped at the end. The migration (bench/out/check-migration.sql)
 * holds the risky statements the planner rewrites. Four variants run as whole processes, in
 * rounds (every variant once per round, so a busy moment hits them alike), median reported:
 *  - cold: the default embedded scratch server (initdb and a PostgreSQL start in every run);
 *  - warm: --dev-url on the bench server (already running: only temporary databases are made);
 *  - both again with --synthesize 1000.
 * Each run records when the CLI's progress lines ('· …' on stderr) arrive, which splits the run
 * into phases; the pieces before the first progress line are timed on their own (node start,
 * inspect of the target, analyze, an embedded server's start and stop).
 *
 * Target (issue): whole check < 5 s warm, < 8 s cold.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { startEmbeddedPostgres } from '../../src/dialects/postgres/scratch/embedded-server.js';
import { databaseUrl, fmtMs, median, runTimedNode, timeAsync, timeCommand, withClient } from '../lib.js';
import { LARGE_ROWS, LARGE_TABLES, TABLES, dataSql, migrationSql, rowsOf, schemaDdl } from './generate.js';

const DB = 'sp_bench_check';
const MIGRATION = 'bench/out/check-migration.sql';
export const TARGET_WARM_MS = 5_000;
export const TARGET_COLD_MS = 8_000;

export interface Variant {
  key: string;
  label: string;
  cold: boolean;
  synthesize?: number;
}

export interface RunRecord {
  ms: number;
  exitCode: number;
  /** stderr lines ('· progress' and warnings) with ms since spawn. */
  lines: { atMs: number; text: string }[];
  /** The checklist (stdout up to the first blank line). */
  checklist: string;
}

export interface CheckBenchResult {
  rows: number;
  tableBytes: number;
  migrationStatements: number;
  variants: { variant: Variant; runs: RunRecord[] }[];
  parts: { label: string; ms: number }[];
  scratchMajor: string;
}

const variants = (devUrl: string): (Variant & { args: string[] })[] => {
  const synth = Number(process.env['BENCH_CHECK_SYNTHESIZE'] ?? 1000);
  const list: (Variant & { args: string[] })[] = [
    { key: 'cold', label: 'cold: embedded scratch server (default)', cold: true, args: [] },
    {
      key: 'warm',
      label: 'warm: --dev-url (server already running)',
      cold: false,
      args: ['--dev-url', devUrl],
    },
  ];
  if (synth > 0)
    list.push(
      {
        key: 'cold-synth',
        label: `cold, --synthesize ${synth}`,
        cold: true,
        synthesize: synth,
        args: ['--synthesize', String(synth)],
      },
      {
        key: 'warm-synth',
        label: `warm, --synthesize ${synth}`,
        cold: false,
        synthesize: synth,
        args: ['--dev-url', devUrl, '--synthesize', String(synth)],
      },
    );
  return list;
};

export async function runCheckBench(serverUrl: string, log: (s: string) => void): Promise<CheckBenchResult> {
  const target = databaseUrl(serverUrl, DB);
  const built = await buildTarget(serverUrl, target, log);
  mkdirSync(new URL('../out/', import.meta.url), { recursive: true });
  const sql = migrationSql();
  writeFileSync(new URL('../out/check-migration.sql', import.meta.url), sql);
  const migrationStatements = sql.split(';').filter((s) => /\S/.test(s.replace(/--.*$/gm, ''))).length;
  try {
    const list = variants(serverUrl);
    const rounds = Number(process.env['BENCH_CHECK_ROUNDS'] ?? 5);
    const results = list.map((variant) => ({ variant, runs: [] as RunRecord[] }));
    // One untimed run each first: it loads the binaries and the target's catalog into the page
    // cache, and tells whether check passes, which decides how much of the pipeline runs.
    for (const v of list) {
      const r = await runCheck(target, v.args);
      log(`  warm-up ${v.key}: ${fmtMs(r.ms)}, exit ${r.exitCode}\n${indent(r.checklist)}`);
    }
    for (let round = 1; round <= rounds; round++) {
      for (const [i, v] of list.entries()) results[i]?.runs.push(await runCheck(target, v.args));
      log(
        `  round ${round}/${rounds}: ${results.map((r) => `${r.variant.key} ${fmtMs(r.runs.at(-1)?.ms ?? 0)}`).join(', ')}`,
      );
    }

    log('  the pieces before the first progress line, on their own …');
    const parts = await timeParts(target, log);
    const scratchMajor = /PostgreSQL (\d+) scratch/.exec(results[0]?.runs[0]?.checklist ?? '')?.[1] ?? '?';
    return {
      rows: built.rows,
      tableBytes: built.bytes,
      migrationStatements,
      variants: results,
      parts,
      scratchMajor,
    };
  } finally {
    await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  }
}

async function runCheck(target: string, extra: readonly string[]): Promise<RunRecord> {
  const args = ['dist/cli/main.js', 'check', MIGRATION, '--db', target, '--dry-run', ...extra];
  const run = await runTimedNode(args, 'check');
  return {
    ms: run.ms,
    exitCode: run.exitCode,
    lines: run.lines,
    checklist: run.stdout.split('\n\n')[0] ?? '',
  };
}

/** What happens before validation starts, timed piece by piece. */
async function timeParts(target: string, log: (s: string) => void): Promise<{ label: string; ms: number }[]> {
  const node = (args: string[]) => timeCommand(process.execPath, args, {}, [0, 1]);
  const times = async (fn: () => Promise<number>) => {
    const out: number[] = [];
    for (let i = 0; i < 3; i++) out.push(await fn());
    return median(out);
  };
  const parts = [
    { label: '`node -e 0`', ms: await times(() => node(['-e', '0'])) },
    {
      label: '`schemapilot inspect --db <target>` (node start + reading the 200-table schema)',
      ms: await times(() =>
        node(['dist/cli/main.js', 'inspect', '--db', target, '--format', 'json', '-o', '/dev/null']),
      ),
    },
    {
      label: '`schemapilot analyze <migration> --db <target>` (+ parse, analysis, plan)',
      ms: await times(() =>
        node([
          'dist/cli/main.js',
          'analyze',
          MIGRATION,
          '--db',
          target,
          '--format',
          'json',
          '-o',
          '/dev/null',
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

/** A fresh sp_bench_check: schema, rows, ANALYZE. */
async function buildTarget(
  serverUrl: string,
  target: string,
  log: (s: string) => void,
): Promise<{ rows: number; bytes: number }> {
  log(`  building ${DB}: ${TABLES} tables with rows …`);
  const ms = await timeAsync(async () => {
    await withClient(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${DB}`);
    });
    await withClient(target, async (c) => {
      await c.query(['BEGIN;', ...schemaDdl(), 'COMMIT;'].join('\n'));
      for (let i = 0; i < TABLES; i++) await c.query(dataSql(i));
      await c.query('VACUUM ANALYZE');
    });
  });
  let rows = 0;
  for (let i = 0; i < TABLES; i++) rows += rowsOf(i);
  const bytes = await withClient(target, async (c) => {
    const { rows: r } = await c.query<{ b: string }>(
      `SELECT sum(pg_total_relation_size(oid))::bigint AS b FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`,
    );
    return Number(r[0]?.b ?? 0);
  });
  log(`  built in ${fmtMs(ms)}: ${rows.toLocaleString('en-US')} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB`);
  return { rows, bytes };
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

/** Phases of one run, from the arrival times of its progress lines. */
function phases(run: RunRecord): { phase: string; ms: number }[] {
  const marks: { at: number; name: string }[] = [{ at: 0, name: 'start' }];
  for (const l of run.lines) {
    if (l.text.startsWith('· ')) marks.push({ at: l.atMs, name: l.text.slice(2) });
    else if (/warning: validating on PostgreSQL/.test(l.text))
      marks.push({ at: l.atMs, name: 'embedded server started' });
  }
  marks.push({ at: run.ms, name: 'exit' });
  const describe: Record<string, string> = {
    start:
      'node start, read the migration, inspect the target (`--db`), start or connect to the scratch server',
    'embedded server started': 'analyze + plan + plan check, create the scratch database',
  };
  const out: { phase: string; ms: number }[] = [];
  for (let i = 0; i + 1 < marks.length; i++) {
    const from = marks[i];
    const to = marks[i + 1];
    if (!from || !to) continue;
    let phase = describe[from.name] ?? from.name;
    if (from.name === 'start' && to.name.startsWith('cloning'))
      phase =
        'node start, read the migration, inspect the target, connect to the scratch server, analyze + plan + plan check, create the scratch database';
    if (from.name === 'start' && to.name === 'embedded server started')
      phase =
        'node start, read the migration, inspect the target (`--db`), initdb + start the embedded server';
    if (from.name.startsWith('cloning'))
      phase = 'clone the schema (pg_dump or snapshot DDL), inspect it, create the twin (and pristine) copies';
    if (from.name.startsWith('synthesizing'))
      phase = `${from.name}, inspect, create the twin (and pristine) copies`;
    if (from.name.startsWith('running the migration as written'))
      phase = 'run the migration as written on the twin, inspect it, analyse the plan for the predictions';
    if (from.name.startsWith('applying')) phase = `${from.name}, inspect the result (intent check)`;
    if (from.name === 'rolling back')
      phase = 'roll back, inspect and compare, drop scratch databases, stop the server, print the report';
    out.push({ phase, ms: to.at - from.at });
  }
  return out;
}

/** The run whose time is the median of its variant (the lower middle for an even count). */
function medianRun(runs: readonly RunRecord[]): RunRecord | undefined {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export function formatCheck(r: CheckBenchResult): string {
  const largeTables = [...LARGE_TABLES].length;
  const lines: string[] = [
    `Target: ${TABLES} tables (${largeTables} of ${LARGE_ROWS.toLocaleString('en-US')} rows, the rest 1,000-10,000), ` +
      `${r.rows.toLocaleString('en-US')} rows, ${(r.tableBytes / 2 ** 20).toFixed(0)} MiB with indexes; ` +
      `migration: ${r.migrationStatements} statements (\`${MIGRATION}\`). Scratch server: embedded PostgreSQL ${r.scratchMajor} (cold), ` +
      `the bench server (warm). Whole-process wall time, median of ${r.variants[0]?.runs.length ?? 0} rounds after one untimed warm-up run each.`,
    '',
    '| variant | median | min – max | exit | checklist |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const { variant, runs } of r.variants) {
    const ms = runs.map((x) => x.ms);
    const exits = [...new Set(runs.map((x) => x.exitCode))].join('/');
    const last = runs.at(-1)?.checklist ?? '';
    const verdict = last
      .split('\n')
      .filter((l) => /^[✓✗]/.test(l.trim()))
      .map((l) => l.trim().replace(/\s+\(.*$/, ''))
      .join('; ');
    lines.push(
      `| ${variant.label} | **${fmtMs(median(ms))}** | ${fmtMs(Math.min(...ms))} – ${fmtMs(Math.max(...ms))} | ${exits} | ${verdict} |`,
    );
  }
  lines.push(
    '',
    'Where the time goes (the median run of each variant; phases end at the next progress line):',
    '',
  );
  for (const { variant, runs } of r.variants) {
    const run = medianRun(runs);
    if (!run) continue;
    lines.push(
      `*${variant.label}*, ${fmtMs(run.ms)}:`,
      '',
      '| phase | time | share |',
      '| --- | --- | --- |',
    );
    for (const p of phases(run))
      lines.push(`| ${p.phase} | ${fmtMs(p.ms)} | ${Math.round((100 * p.ms) / run.ms)} % |`);
    lines.push('');
  }
  lines.push(
    'Pieces of the first phase, timed on their own (median of 3):',
    '',
    '| piece | time |',
    '| --- | --- |',
  );
  for (const p of r.parts) lines.push(`| ${p.label} | ${fmtMs(p.ms)} |`);
  const med = (key: string) =>
    median(r.variants.find((v) => v.variant.key === key)?.runs.map((x) => x.ms) ?? []);
  const verdict = (ms: number, target: number) => (ms <= 0 ? 'not run' : ms < target ? 'met' : 'missed');
  lines.push(
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    `| whole \`check\` warm < 5 s | ${fmtMs(med('warm'))} | ${verdict(med('warm'), TARGET_WARM_MS)} |`,
    `| whole \`check\` cold < 8 s | ${fmtMs(med('cold'))} | ${verdict(med('cold'), TARGET_COLD_MS)} |`,
  );
  if (r.variants.some((v) => v.variant.synthesize))
    lines.push(
      `| warm, --synthesize < 5 s | ${fmtMs(med('warm-synth'))} | ${verdict(med('warm-synth'), TARGET_WARM_MS)} |`,
      `| cold, --synthesize < 8 s | ${fmtMs(med('cold-synth'))} | ${verdict(med('cold-synth'), TARGET_COLD_MS)} |`,
    );
  return lines.join('\n');
}
