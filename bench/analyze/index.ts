/**
 * bench/analyze: how fast `schemapilot analyze` reads big migration files, next to squawk and
 * pgfence on the same files in the same run.
 *
 * Generated files of 1,000 and 10,000 statements of mixed DDL (bench/analyze/generate.ts, seeded)
 * are written to bench/out/. Each command runs as a whole process, several rounds, the tools
 * interleaved within a round so that a busy moment on the machine hits them all alike; the
 * median is reported. `node -e 0` runs in the same rounds: it is the floor for any Node CLI.
 * Then, in this process, analyze() runs repeatedly on the 10k file after warm-up (statements/s),
 * with parse-only statements/s for context. Scaling (issue 17): a 100,000-statement file, whole
 * process, fewer rounds (big-file.ts); and 10,000 statements against snapshots of 50, 500 and
 * 5,000 tables given with --schema (schema-size.ts).
 *
 * Targets: >= 3x faster than pgfence; whole process <= 3x the bare Node start; >= 50k
 * statements/s warm (squawk's throughput); linear in statements and in schema size.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type * as AnalyzeApi from '../../src/api/analyze.js';
import type * as Parser from '../../src/dialects/postgres/parser.js';
import type * as Formats from '../../src/formats/read.js';
import { captureCommand, median, timeCommand } from '../lib.js';
import { runBigFile, type BigFileResult } from './big-file.js';
import { fromDist } from './dist.js';
import {
  formatScaling,
  formatSchemaSize,
  schemaTargetRow,
  statementsTargetRow,
  type SmallSize,
} from './format-scale.js';
import { generateMigration } from './generate.js';
import { runSchemaSize, type SchemaSizeResult } from './schema-size.js';
import { benchTools, type Tool } from './tools.js';

export const SIZES = [1_000, 10_000] as const;
const WARM_UP = 3;

export interface SizeResult {
  statements: number;
  bytes: number;
  file: string;
  /** Wall times in ms per tool key. */
  times: Map<Tool['key'], number[]>;
  /** What each tool's report says it read. */
  seen: Map<Tool['key'], string>;
}

export interface AnalyzeBenchResult {
  tools: Tool[];
  rounds: number;
  sizes: SizeResult[];
  warm: { statements: number; runs: number; analyzeMs: number[]; parseMs: number[] };
  /** 100,000 statements, whole process (bench/analyze/big-file.ts). */
  big: BigFileResult;
  /** 10,000 statements against snapshots of 50 to 5,000 tables (bench/analyze/schema-size.ts). */
  schema: SchemaSizeResult;
}

export function writeBenchFiles(): { statements: number; file: string; bytes: number }[] {
  const dir = new URL('../out/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  return SIZES.map((statements) => {
    const sql = generateMigration(statements);
    const file = `bench/out/analyze-${statements / 1000}k.sql`;
    writeFileSync(new URL(`analyze-${statements / 1000}k.sql`, dir), sql);
    return { statements, file, bytes: Buffer.byteLength(sql) };
  });
}

export async function runAnalyzeBench(log: (s: string) => void): Promise<AnalyzeBenchResult> {
  const files = writeBenchFiles();
  const tools = benchTools();
  const rounds = Number(process.env['BENCH_ANALYZE_ROUNDS'] ?? 7);
  const sizes: SizeResult[] = [];

  for (const f of files) {
    const seen = new Map<Tool['key'], string>();
    for (const tool of tools) {
      if (!tool.check) continue;
      const stdout = await captureCommand(tool.command, tool.check.args(f.file), tool.okExitCodes);
      seen.set(tool.key, tool.check.seen(stdout));
    }
    log(`  ${f.file}: ${[...seen].map(([k, v]) => `${k} read ${v}`).join('; ')}`);
    const times = new Map<Tool['key'], number[]>(tools.map((t) => [t.key, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const tool of tools) {
        const ms = await timeCommand(tool.command, tool.args(f.file), {}, tool.okExitCodes);
        times.get(tool.key)?.push(ms);
      }
      log(`  ${f.file} round ${round}/${rounds}`);
    }
    sizes.push({ ...f, times, seen });
  }

  log('  warm in-process analyze() on the 10k file …');
  const warm = await warmThroughput(files[files.length - 1]?.file ?? '', log);
  log('  100,000 statements, whole process …');
  const big = await runBigFile(tools, log);
  log('  10,000 statements against snapshots of 50 to 5,000 tables …');
  const schema = await runSchemaSize(log);
  return { tools, rounds, sizes, warm, big, schema };
}

async function warmThroughput(file: string, log: (s: string) => void): Promise<AnalyzeBenchResult['warm']> {
  const { readFileSync } = await import('node:fs');
  const { analyze } = await fromDist<typeof AnalyzeApi>('api/analyze.js');
  const { inlineMigration } = await fromDist<typeof Formats>('formats/read.js');
  const { loadPostgresParser, parsePostgres } = await fromDist<typeof Parser>('dialects/postgres/parser.js');
  const sql = readFileSync(file, 'utf8');
  await loadPostgresParser();
  const runs = Number(process.env['BENCH_ANALYZE_WARM_RUNS'] ?? 10);
  const migration = inlineMigration(file, sql, 'plain');
  let statements = 0;
  const analyzeMs: number[] = [];
  const parseMs: number[] = [];
  for (let i = 0; i < WARM_UP + runs; i++) {
    let started = performance.now();
    const result = await analyze({ files: [migration] });
    const a = performance.now() - started;
    started = performance.now();
    parsePostgres(sql, file);
    const p = performance.now() - started;
    statements = result.statements.length;
    if (i >= WARM_UP) {
      analyzeMs.push(a);
      parseMs.push(p);
    }
  }
  log(`  analyze() median ${Math.round(median(analyzeMs))} ms, parse ${Math.round(median(parseMs))} ms`);
  return { statements, runs, analyzeMs, parseMs };
}

const ms = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
const perSec = (statements: number, millis: number) =>
  `${Math.round((statements / millis) * 1000).toLocaleString('en')}/s`;

export function formatAnalyze(r: AnalyzeBenchResult): string {
  const med = (s: SizeResult, key: Tool['key']) => median(s.times.get(key) ?? []);
  const header = `| command | ${r.sizes.map((s) => `${s.statements.toLocaleString('en')} statements (${Math.round(s.bytes / 1024)} KiB)`).join(' | ')} |`;
  const rows = r.tools.map(
    (t) =>
      `| ${t.label} | ${r.sizes
        .map((s) => {
          const ratio = med(s, t.key) / med(s, 'schemapilot');
          return t.key === 'schemapilot'
            ? `**${ms(med(s, t.key))}**`
            : `${ms(med(s, t.key))} (${ratio.toFixed(2)}×)`;
        })
        .join(' | ')} |`,
  );
  const seen = r.sizes.map(
    (s) => `- ${s.file}: ${[...s.seen].map(([key, what]) => `${key} read ${what}`).join('; ')}`,
  );
  const analyzeMed = median(r.warm.analyzeMs);
  const parseMed = median(r.warm.parseMs);
  const warmRate = (r.warm.statements / analyzeMed) * 1000;
  const targets = [
    `| ≥ 3× faster than pgfence (whole process) | ${r.sizes.map((s) => `${(med(s, 'pgfence') / med(s, 'schemapilot')).toFixed(2)}×`).join(' / ')} | ${r.sizes.every((s) => med(s, 'pgfence') / med(s, 'schemapilot') >= 3) ? 'met' : 'missed'} |`,
    `| whole process ≤ 3× \`node -e 0\` | ${r.sizes.map((s) => `${(med(s, 'schemapilot') / med(s, 'node')).toFixed(2)}×`).join(' / ')} | ${r.sizes.every((s) => med(s, 'schemapilot') / med(s, 'node') <= 3) ? 'met' : 'missed'} |`,
    `| ≥ 50,000 statements/s warm, in process | ${perSec(r.warm.statements, analyzeMed)} | ${warmRate >= 50_000 ? 'met' : 'missed'} |`,
  ];
  const small: SmallSize[] = r.sizes.map((s) => ({ statements: s.statements, median: (key) => med(s, key) }));
  return [
    `Whole-process wall time, median of ${r.rounds} rounds; in each round every command runs once, in`,
    `turn, so load on the machine hits them alike. In brackets: time relative to schemapilot.`,
    '',
    header,
    `| --- | ${r.sizes.map(() => '---').join(' | ')} |`,
    ...rows,
    '',
    'What each tool reported reading (one untimed run each, JSON output):',
    '',
    ...seen,
    '',
    `Warm, in process (10,000 statements, after ${WARM_UP} warm-up runs, median of ${r.warm.runs}):`,
    `\`analyze()\` ${ms(analyzeMed)} = **${perSec(r.warm.statements, analyzeMed)}**; parsing alone`,
    `(\`parsePostgres\`, libpg-query's \`parseSync\` + statement split) ${ms(parseMed)} = ${perSec(r.warm.statements, parseMed)}.`,
    '',
    ...formatScaling(r.tools, small, r.big),
    '',
    ...formatSchemaSize(r.schema),
    '',
    '| target | measured (1k / 10k) | |',
    '| --- | --- | --- |',
    ...targets,
    statementsTargetRow(small, r.big),
    schemaTargetRow(r.schema),
  ].join('\n');
}
