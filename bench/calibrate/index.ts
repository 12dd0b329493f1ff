/**
 * bench/calibrate: the throughput model behind lock-duration estimates (src/assess/throughput.ts),
 * measured on a real server.
 *
 * Tables of realistic width with 1M and 4M rows (two sizes, so a rate can be fitted rather than
 * read off one point, which would fold fixed costs into it) get each operation the model prices:
 * validation scans (CHECK, SET NOT NULL, VALIDATE, foreign keys), rewrites (int → bigint with
 * and without indexes, a volatile default) and index builds (plain and CONCURRENTLY). Each runs
 * in a transaction that is rolled back, after a CHECKPOINT so one operation's dirty pages do not
 * slow the next. Rates are heap bytes (pg_relation_size) per second. Next to each measurement is
 * what analyze() estimates for the same statement against a snapshot of the same table, with
 * the constants in throughput.ts at the time of the run.
 */
import { analyze } from '../../src/api/analyze.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import type { SchemaSnapshot } from '../../src/core/snapshot.js';
import { DEFAULT_THROUGHPUT } from '../../src/assess/throughput.js';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { inlineMigration } from '../../src/formats/read.js';
import { median, withClient } from '../lib.js';
import { OPERATIONS, type Operation } from './operations.js';
import { ensureCalibrationTables, tableName } from './tables.js';

export interface Measurement {
  op: Operation;
  rows: number;
  heapBytes: number;
  /** Wall time of the timed statement, ms, one per repetition. */
  ms: number[];
  /** analyze()'s execution estimate for the same statement, ms. */
  estimateMs: number;
}

export interface CalibrateResult {
  rowCounts: number[];
  repetitions: number;
  settings: Record<string, string>;
  measurements: Measurement[];
}

const SETTINGS = [
  'shared_buffers',
  'maintenance_work_mem',
  'max_parallel_maintenance_workers',
  'wal_level',
  'synchronous_commit',
];

export async function runCalibrateBench(
  serverUrl: string,
  log: (s: string) => void,
): Promise<CalibrateResult> {
  const rowCounts = (process.env['BENCH_CALIBRATE_ROWS'] ?? '1000000,4000000').split(',').map(Number);
  const repetitions = Number(process.env['BENCH_CALIBRATE_REPS'] ?? 3);
  const url = await ensureCalibrationTables(serverUrl, rowCounts, log);
  const snapshot = await inspectPostgres(url, { schemas: ['public'] });
  const measurements: Measurement[] = [];

  const settings = await withClient(url, async (c) => {
    const out: Record<string, string> = {};
    for (const name of SETTINGS) {
      const { rows } = await c.query<{ v: string }>('SELECT current_setting($1) AS v', [name]);
      out[name] = rows[0]?.v ?? '?';
    }
    return out;
  });

  await withClient(url, async (c) => {
    await c.query(`SET statement_timeout = 0`);
    await c.query(`SET lock_timeout = '10s'`);
    await c.query('DROP INDEX IF EXISTS cal_account_idx');
    for (const rows of rowCounts) {
      const table = tableName(rows);
      const { rows: size } = await c.query<{ b: string }>(
        'SELECT pg_relation_size($1::regclass)::text AS b',
        [table],
      );
      const heapBytes = Number(size[0]?.b ?? 0);
      // One pass to bring the table into the OS cache, so the first operation is not the only cold one.
      await c.query(`SELECT count(*) FROM ${table}`);
      for (const op of OPERATIONS) {
        const ms: number[] = [];
        for (let rep = 0; rep < repetitions; rep++) {
          await c.query('CHECKPOINT');
          if (op.inTransaction) await c.query('BEGIN');
          try {
            for (const sql of op.setup(rows)) await c.query(sql);
            const started = performance.now();
            await c.query(op.timed(rows));
            ms.push(performance.now() - started);
          } finally {
            if (op.inTransaction) await c.query('ROLLBACK');
            for (const sql of op.undo?.(rows) ?? []) await c.query(sql);
          }
        }
        const estimateMs = await estimate(snapshot, op, rows);
        log(`  ${table} ${op.id}: ${Math.round(median(ms))} ms measured, ${estimateMs} ms estimated`);
        measurements.push({ op, rows, heapBytes, ms, estimateMs });
      }
    }
  });
  return { rowCounts, repetitions, settings, measurements };
}

/** What the analysis pipeline estimates for the timed statement, after the same setup statements. */
async function estimate(snapshot: SchemaSnapshot, op: Operation, rows: number): Promise<number> {
  const statements = [...op.setup(rows), op.timed(rows)];
  const result = await analyze({
    files: [inlineMigration('calibrate.sql', statements.map((s) => `${s};`).join('\n'), 'plain')],
    snapshot,
    config: { ...DEFAULT_CONFIG, rules: {} },
  });
  return result.run.details[statements.length - 1]?.durationMs ?? NaN;
}

const mbps = (bytesPerSec: number) => `${Math.round(bytesPerSec / 1e6)} MB/s`;
const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** Heap bytes per second, fitted through the two sizes: fixed per-statement costs drop out. */
function fittedRate(points: readonly Measurement[]): number | null {
  if (points.length < 2) return null;
  const sorted = [...points].sort((a, b) => a.heapBytes - b.heapBytes);
  const first = sorted[0] as Measurement;
  const last = sorted[sorted.length - 1] as Measurement;
  const dt = (median(last.ms) - median(first.ms)) / 1000;
  return dt > 0 ? (last.heapBytes - first.heapBytes) / dt : null;
}

export function formatCalibrate(r: CalibrateResult): string {
  const byOp = new Map<string, Measurement[]>();
  for (const m of r.measurements) byOp.set(m.op.id, [...(byOp.get(m.op.id) ?? []), m]);
  const sizes = r.rowCounts.map((n) => {
    const heap = r.measurements.find((m) => m.rows === n)?.heapBytes ?? 0;
    return `${tableName(n)}: ${n.toLocaleString('en')} rows, heap ${Math.round(heap / 2 ** 20)} MiB (${Math.round(heap / n)} B/row)`;
  });
  const head = `| operation | model | ${r.rowCounts.map((n) => `${tableName(n)} measured | estimate | rate`).join(' | ')} | fitted rate |`;
  const rows = OPERATIONS.map((op) => {
    const points = byOp.get(op.id) ?? [];
    const cells = r.rowCounts.map((n) => {
      const m = points.find((p) => p.rows === n);
      if (!m) return 'n/a | n/a | n/a';
      const measured = median(m.ms);
      const ratio = m.estimateMs / measured;
      return `${fmt(measured)} | ${fmt(m.estimateMs)} (${ratio.toFixed(1)}×) | ${mbps(m.heapBytes / (measured / 1000))}`;
    });
    const fit = fittedRate(points);
    return `| ${op.label} | ${op.kind} | ${cells.join(' | ')} | ${fit ? mbps(fit) : 'n/a'} |`;
  });
  const constants = [
    `| scan (\`scanBytesPerSec\`) | ${mbps(DEFAULT_THROUGHPUT.scanBytesPerSec)} | ${mbps(slowest(r, 'scan'))} |`,
    `| rewrite (\`rewriteBytesPerSec\`) | ${mbps(DEFAULT_THROUGHPUT.rewriteBytesPerSec)} | ${mbps(slowest(r, 'rewrite'))} |`,
    `| index build, per index (\`indexBuildBytesPerSec\`) | ${mbps(DEFAULT_THROUGHPUT.indexBuildBytesPerSec)} | ${mbps(Math.min(slowest(r, 'index build'), rebuildPerIndex(r)))} |`,
  ];
  return [
    `Server settings: ${Object.entries(r.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}. Median of ${r.repetitions} repetitions; tables in the OS page cache.`,
    '',
    ...sizes.map((s) => `- ${s}`),
    '',
    head,
    `| --- | --- | ${r.rowCounts.map(() => '--- | --- | ---').join(' | ')} | --- |`,
    ...rows,
    '',
    'Estimate: what `analyze()` says the statement takes against a snapshot of the same table, with the',
    'constants below; in brackets, estimate ÷ measured (above 1: the estimate is on the safe side).',
    'Rate: heap bytes (`pg_relation_size`) per second of the statement; fitted: through both sizes.',
    '',
    '| model constant | value at this run | slowest measured rate |',
    '| --- | --- | --- |',
    ...constants,
  ].join('\n');
}

/** The slowest per-size rate among the operations of one kind: the constant must stay below it. */
function slowest(r: CalibrateResult, kind: Operation['kind']): number {
  const rates = r.measurements
    .filter((m) => m.op.kind === kind)
    .map((m) => m.heapBytes / (median(m.ms) / 1000));
  return rates.length ? Math.min(...rates) : NaN;
}

/** Index rebuild after a rewrite, per index: (rewrite with indexes − bare rewrite) ÷ indexes. */
function rebuildPerIndex(r: CalibrateResult): number {
  const rates: number[] = [];
  for (const n of r.rowCounts) {
    const bare = r.measurements.find((m) => m.rows === n && m.op.id === 'type-bigint-bare');
    const full = r.measurements.find((m) => m.rows === n && m.op.id === 'type-bigint');
    if (!bare || !full || !full.op.indexesRebuilt) continue;
    const perIndexMs = (median(full.ms) - median(bare.ms)) / full.op.indexesRebuilt;
    if (perIndexMs > 0) rates.push(full.heapBytes / (perIndexMs / 1000));
  }
  return rates.length ? Math.min(...rates) : NaN;
}
