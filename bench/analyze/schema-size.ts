/**
 * The schema-size case: does a big `--schema` make analyze slower than reading it costs? For
 * snapshots of 50, 500 and 5,000 tables (bench/analyze/snapshot.ts), 10,000 statements of the
 * same generator and seed are written over each snapshot's tables (so every statement names a
 * table the snapshot holds, as a migration of that application would), then timed:
 *  - whole process: `schemapilot analyze <file> --schema <snapshot> --format json -o /dev/null`,
 *    the three sizes interleaved in each round (BENCH_ANALYZE_ROUNDS);
 *  - in process: `analyze()` with the snapshot already parsed, after warm-up (BENCH_ANALYZE_WARM_RUNS).
 * Three sizes, not two, so that growth can be extrapolated: linear means the 5,000-table time is
 * what the 50 → 500 growth predicts for 5,000 tables, give or take 25%.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type * as AnalyzeApi from '../../src/api/analyze.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import type * as Parser from '../../src/dialects/postgres/parser.js';
import type * as Formats from '../../src/formats/read.js';
import { captureCommand, median, timeCommand } from '../lib.js';
import { fromDist } from './dist.js';
import { generateMigration } from './generate.js';
import { generateSnapshot, snapshotJson, tablePool } from './snapshot.js';
import { SCHEMAPILOT_CLI } from './tools.js';

export const SCHEMA_TABLES = [50, 500, 5_000] as const;
export const SCHEMA_STATEMENTS = 10_000;
export const SCHEMA_WARM_UP = 3;

export interface SchemaCase {
  tables: number;
  snapshotFile: string;
  snapshotBytes: number;
  migrationFile: string;
  /** Whole-process wall times, ms. */
  times: number[];
  /** In-process analyze() times after warm-up, ms. */
  warmMs: number[];
  /** What the report of an untimed run says it read. */
  seen: string;
}

export interface SchemaSizeResult {
  statements: number;
  rounds: number;
  warmRuns: number;
  cases: SchemaCase[];
}

function writeCase(tables: number): SchemaCase {
  const snapshot = generateSnapshot(tables);
  const snapshotFile = `bench/out/snapshot-${tables}.json`;
  const json = snapshotJson(snapshot);
  writeFileSync(snapshotFile, json);
  const migrationFile = `bench/out/analyze-10k-schema${tables}.sql`;
  writeFileSync(migrationFile, generateMigration(SCHEMA_STATEMENTS, undefined, tablePool(snapshot)));
  const snapshotBytes = Buffer.byteLength(json);
  return { tables, snapshotFile, snapshotBytes, migrationFile, times: [], warmMs: [], seen: '' };
}

const cliArgs = (c: SchemaCase) => [
  SCHEMAPILOT_CLI,
  'analyze',
  c.migrationFile,
  '--schema',
  c.snapshotFile,
  '--format',
  'json',
];

/**
 * One untimed run: the snapshot must load (exit 0 or 1; 2 is a refused input and rejects here)
 * and be used (no "no schema given" assumption), and every statement must be read.
 */
async function checkLoads(c: SchemaCase): Promise<void> {
  const stdout = await captureCommand(process.execPath, cliArgs(c), [0, 1]);
  const report = JSON.parse(stdout) as { statements: unknown[]; assumptions: string[] };
  if (report.assumptions.some((a) => a.startsWith('no schema given')))
    throw new Error(`analyze --schema ${c.snapshotFile} did not use the snapshot`);
  c.seen = `${report.statements.length.toLocaleString('en')} statements, schema used`;
}

async function warmRuns(cases: SchemaCase[], runs: number): Promise<void> {
  const { analyze } = await fromDist<typeof AnalyzeApi>('api/analyze.js');
  const { inlineMigration } = await fromDist<typeof Formats>('formats/read.js');
  const { loadPostgresParser } = await fromDist<typeof Parser>('dialects/postgres/parser.js');
  await loadPostgresParser();
  const inputs = cases.map((c) => ({
    c,
    migration: inlineMigration(c.migrationFile, readFileSync(c.migrationFile, 'utf8'), 'plain'),
    snapshot: JSON.parse(readFileSync(c.snapshotFile, 'utf8')) as SchemaSnapshot,
  }));
  // Interleaved like the whole-process rounds, so a busy moment hits every size alike.
  for (let i = 0; i < SCHEMA_WARM_UP + runs; i++) {
    for (const { c, migration, snapshot } of inputs) {
      const started = performance.now();
      await analyze({ files: [migration], snapshot });
      if (i >= SCHEMA_WARM_UP) c.warmMs.push(performance.now() - started);
    }
  }
}

export async function runSchemaSize(log: (s: string) => void): Promise<SchemaSizeResult> {
  const cases = SCHEMA_TABLES.map(writeCase);
  for (const c of cases) await checkLoads(c);
  log(`  schema sizes: ${cases.map((c) => `${c.snapshotFile} ${c.seen}`).join('; ')}`);
  const rounds = Number(process.env['BENCH_ANALYZE_ROUNDS'] ?? 7);
  for (let round = 1; round <= rounds; round++) {
    for (const c of cases)
      c.times.push(await timeCommand(process.execPath, [...cliArgs(c), '-o', '/dev/null'], {}, [0, 1]));
    log(`  schema sizes round ${round}/${rounds}`);
  }
  const runs = Number(process.env['BENCH_ANALYZE_WARM_RUNS'] ?? 10);
  await warmRuns(cases, runs);
  log(`  schema sizes in process: ${cases.map((c) => `${Math.round(median(c.warmMs))} ms`).join(' / ')}`);
  return { statements: SCHEMA_STATEMENTS, rounds, warmRuns: runs, cases };
}

/**
 * The 5,000-table time a linear cost predicts from the 50- and 500-table ones (growth below
 * zero, i.e. noise, counts as none), and whether the measured one is within 1.25× of it.
 */
export function schemaLinearity(times: readonly number[]): { limit: number; linear: boolean } {
  const [small = 0, mid = 0, big = 0] = times;
  const [n1, n2, n3] = SCHEMA_TABLES;
  const predicted = mid + ((n3 - n2) / (n2 - n1)) * Math.max(0, mid - small);
  const limit = 1.25 * predicted;
  return { limit, linear: big <= limit };
}
