/**
 * `npm run bench impact`: the whole `schemapilot impact` run over ten generated services (2,000
 * queries in TypeScript, Python, Go, Java and SQL files, generate.ts) and one migration, as a
 * user runs it: node start, reading the target, planning, extracting every service's queries,
 * and the server's verdict on each query before the migration, after each plan step and as
 * written. Warm: scratch databases on the bench server (--dev-url); cold: an embedded server
 * started for the run. Target (issue 13): under 10 s on this machine.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImpactResult } from '../../src/core/impact.js';
import { databaseUrl, fmtMs, median, runTimedNode, withClient } from '../lib.js';
import { MIGRATION, QUERIES_PER_SERVICE, SERVICES, schemaSql, writeFleet } from './generate.js';

export const TARGET_MS = 10_000;
const DB = 'sp_bench_impact';
const OUT = join(import.meta.dirname, '..', 'out');
const ROUNDS = Number(process.env['BENCH_IMPACT_ROUNDS'] ?? 5);

interface Run {
  ms: number;
  /** Progress lines (`· …` on stderr) with the time they arrived. */
  marks: { atMs: number; text: string }[];
  result: ImpactResult;
}

export interface ImpactBenchResult {
  variants: { label: string; runs: Run[] }[];
  queries: number;
}

export async function runImpactBench(
  serverUrl: string,
  log: (s: string) => void,
): Promise<ImpactBenchResult> {
  const services = writeFleet(join(OUT, 'impact-fleet'));
  const migration = join(OUT, 'impact-migration.sql');
  writeFileSync(migration, MIGRATION + '\n');
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${DB}`);
  });
  const target = databaseUrl(serverUrl, DB);
  try {
    await withClient(target, (c) => c.query(schemaSql()));
    const args = [
      migration,
      '--db',
      target,
      ...services.flatMap((s) => ['--service', `${s.name}=${s.path}`]),
    ];
    const variants = [
      { label: 'warm: --dev-url (server already running)', extra: ['--dev-url', serverUrl] },
      { label: 'cold: embedded scratch server (default)', extra: [] as string[] },
    ];
    const out: ImpactBenchResult['variants'] = [];
    for (const variant of variants) {
      log(`  ${variant.label}: one untimed run, then ${ROUNDS}`);
      await runImpact([...args, ...variant.extra]);
      const runs: Run[] = [];
      for (let i = 0; i < ROUNDS; i++) runs.push(await runImpact([...args, ...variant.extra]));
      out.push({ label: variant.label, runs });
    }
    return { variants: out, queries: SERVICES * QUERIES_PER_SERVICE };
  } finally {
    await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  }
}

async function runImpact(args: readonly string[]): Promise<Run> {
  const run = await runTimedNode(['dist/cli/main.js', 'impact', ...args, '--format', 'json'], 'impact');
  const marks = run.lines
    .filter((l) => l.text.startsWith('· '))
    .map((l) => ({ atMs: l.atMs, text: l.text.slice(2) }));
  return { ms: run.ms, marks, result: JSON.parse(run.stdout) as ImpactResult };
}

/** Extraction: from "reading the queries" to the next line; the server: from there to the end. */
function shares(run: Run): { before: number; extraction: number; server: number } {
  const reading = run.marks.findIndex((m) => m.text.startsWith('impact: reading the queries'));
  const start = run.marks[reading]?.atMs ?? 0;
  const next = run.marks[reading + 1]?.atMs ?? start;
  return { before: start, extraction: next - start, server: run.ms - next };
}

export function formatImpact(r: ImpactBenchResult): string {
  const first = r.variants[0]?.runs[0]?.result;
  const found = first?.services.reduce((n, s) => n + s.queriesFound, 0) ?? 0;
  const checked = first?.services.reduce((n, s) => n + s.queriesChecked, 0) ?? 0;
  const affected = first?.affected_services.reduce((n, s) => n + s.queries.length, 0) ?? 0;
  const rows = r.variants.map((v) => {
    const sorted = [...v.runs].sort((a, b) => a.ms - b.ms);
    const mid = sorted[Math.floor((sorted.length - 1) / 2)];
    const s = mid ? shares(mid) : { before: 0, extraction: 0, server: 0 };
    const ms = median(v.runs.map((x) => x.ms));
    const pct = (x: number) => `${Math.round((x / (mid?.ms ?? 1)) * 100)} %`;
    return `| ${v.label} | **${fmtMs(ms)}** | ${fmtMs(s.before)} (${pct(s.before)}) | ${fmtMs(s.extraction)} (${pct(s.extraction)}) | ${fmtMs(s.server)} (${pct(s.server)}) | ${ms < TARGET_MS ? 'met' : 'missed'} |`;
  });
  return [
    `${SERVICES} services (TypeScript, Python, Go, Java, SQL files; ${r.queries.toLocaleString('en')} queries generated, ${found.toLocaleString('en')} found, ${checked.toLocaleString('en')} checked, ${affected} affected), a 20-table target, a migration of 4 statements (\`bench/out/impact-migration.sql\`). Whole-process wall time of \`schemapilot impact … --format json\`, median of ${ROUNDS} rounds after one untimed run.`,
    '',
    '| variant | median | node start, read the target, plan | extraction | the server (scratch, PREPARE before, per step, as written), report | target < 10 s |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
