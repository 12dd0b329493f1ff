/**
 * bench/analyze-mysql: how fast `schemapilot analyze` reads MySQL/MariaDB migrations, from files
 * alone and against a live server, next to the same command's PostgreSQL figures (bench/analyze).
 *
 * Seeded files of 1,000 and 10,000 statements (generate.ts) are written to bench/out/. Each
 * command runs as a whole process, `node -e 0` interleaved in the same rounds as the floor; the
 * median is reported. With `--db`, analyze also connects, reads the database's snapshot and
 * measures the touched tables (a scratch database of the generator's base tables, dropped at the
 * end). Then analyze() runs in this process on the 10k file after warm-up (statements/s).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type * as AnalyzeApi from '../../src/api/analyze.js';
import type * as Registry from '../../src/dialects/index.js';
import type * as Formats from '../../src/formats/read.js';
import { captureCommand, databaseUrl, median, timeCommand } from '../lib.js';
import { BASE_TABLES, baseTableDdl, generateMysqlMigration } from './generate.js';
import { connectMysql } from '../../src/dialects/mysql/connect.js';

const SIZES = [1_000, 10_000] as const;
const DB = 'sp_bench_analyze_mysql';
const WARM_UP = 3;

export interface MysqlAnalyzeResult {
  rounds: number;
  files: { statements: number; bytes: number; file: string; read: number }[];
  /** Median wall ms per row label, per file size (null: not run for that size). */
  rows: { label: string; ms: (number | null)[] }[];
  warm: { statements: number; runs: number; analyzeMs: number[] };
}

async function admin(serverUrl: string, statements: readonly string[]): Promise<void> {
  const session = await connectMysql(serverUrl);
  try {
    for (const sql of statements) await session.rows(sql);
  } finally {
    await session.close();
  }
}

async function fromDist<T>(path: string): Promise<T> {
  return (await import(new URL(`../../dist/${path}`, import.meta.url).href)) as T;
}

export async function runMysqlAnalyzeBench(
  serverUrl: string,
  log: (s: string) => void,
): Promise<MysqlAnalyzeResult> {
  const dir = new URL('../out/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const files = SIZES.map((statements) => {
    const sql = generateMysqlMigration(statements);
    const file = `bench/out/analyze-mysql-${statements / 1000}k.sql`;
    writeFileSync(new URL(`analyze-mysql-${statements / 1000}k.sql`, dir), sql);
    return { statements, bytes: Buffer.byteLength(sql), file, read: 0 };
  });
  const live = databaseUrl(serverUrl, DB);
  await admin(serverUrl, [`DROP DATABASE IF EXISTS ${DB}`, `CREATE DATABASE ${DB}`]);
  try {
    await admin(live, BASE_TABLES.map(baseTableDdl));
    const node = process.execPath;
    const analyzeArgs = (file: string, db: boolean) => [
      'dist/cli/main.js',
      'analyze',
      ...(db ? ['--db', live] : ['--dialect', 'mysql']),
      file,
      '--format',
      'json',
      '-o',
      '/dev/null',
    ];
    for (const f of files) {
      const out = await captureCommand(
        node,
        ['dist/cli/main.js', 'analyze', '--dialect', 'mysql', f.file, '--format', 'json'],
        [0, 1],
      );
      f.read = (JSON.parse(out) as { statements: unknown[] }).statements.length;
      log(`  ${f.file}: analyze read ${f.read} statements`);
    }
    const rounds = Number(process.env['BENCH_ANALYZE_ROUNDS'] ?? 5);
    const rows: MysqlAnalyzeResult['rows'] = [
      { label: '`node -e 0` (the floor for any Node CLI)', ms: [] },
      { label: '`schemapilot analyze --dialect mysql` (files only)', ms: [] },
      { label: '`schemapilot analyze --db mysql://…` (live snapshot, sizes measured)', ms: [] },
    ];
    for (const f of files) {
      const times: number[][] = [[], [], []];
      for (let round = 1; round <= rounds; round++) {
        times[0]?.push(await timeCommand(node, ['-e', '0']));
        times[1]?.push(await timeCommand(node, analyzeArgs(f.file, false), {}, [0, 1]));
        times[2]?.push(await timeCommand(node, analyzeArgs(f.file, true), {}, [0, 1]));
        log(`  ${f.file} round ${round}/${rounds}`);
      }
      rows.forEach((row, i) => row.ms.push(median(times[i] ?? [])));
    }
    const warm = await warmThroughput(files[files.length - 1]?.file ?? '', log);
    return { rounds, files, rows, warm };
  } finally {
    await admin(serverUrl, [`DROP DATABASE IF EXISTS ${DB}`]);
  }
}

async function warmThroughput(file: string, log: (s: string) => void): Promise<MysqlAnalyzeResult['warm']> {
  const { analyze } = await fromDist<typeof AnalyzeApi>('api/analyze.js');
  const { inlineMigration } = await fromDist<typeof Formats>('formats/read.js');
  const { dialectNamed } = await fromDist<typeof Registry>('dialects/index.js');
  const dialect = dialectNamed('mysql');
  await dialect.language.load();
  const sql = readFileSync(file, 'utf8');
  const migration = inlineMigration(file, sql, 'plain', dialect);
  const runs = Number(process.env['BENCH_ANALYZE_WARM_RUNS'] ?? 10);
  const analyzeMs: number[] = [];
  let statements = 0;
  for (let i = 0; i < WARM_UP + runs; i++) {
    const started = performance.now();
    const result = await analyze({ files: [migration], dialect });
    if (i >= WARM_UP) analyzeMs.push(performance.now() - started);
    statements = result.statements.length;
  }
  log(`  analyze() median ${Math.round(median(analyzeMs))} ms`);
  return { statements, runs, analyzeMs };
}

const ms = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;

export function formatMysqlAnalyze(r: MysqlAnalyzeResult): string {
  const header = `| command (median of ${r.rounds}) | ${r.files.map((f) => `${f.statements.toLocaleString('en')} statements (${Math.round(f.bytes / 1024)} KiB)`).join(' | ')} |`;
  const lines = [header, `| --- | ${r.files.map(() => '---').join(' | ')} |`];
  for (const row of r.rows)
    lines.push(`| ${row.label} | ${row.ms.map((v) => (v === null ? '–' : ms(v))).join(' | ')} |`);
  const warmMs = median(r.warm.analyzeMs);
  lines.push(
    '',
    `Every statement was read: ${r.files.map((f) => `${f.read.toLocaleString('en')} of ${f.statements.toLocaleString('en')}`).join(', ')} in the JSON reports.`,
    `Warm, in process (built \`dist/\`, median of ${r.warm.runs} after ${WARM_UP} warm-up runs): analyze() of ${r.warm.statements.toLocaleString('en')} statements in ${ms(warmMs)}, ` +
      `**${Math.round((r.warm.statements / warmMs) * 1000).toLocaleString('en')} statements/s**.`,
  );
  return lines.join('\n');
}
