/**
 * The scaling sections of the analyze results: cost per statement at 1k, 10k and 100k
 * statements (bench/analyze/big-file.ts), and cost against schema size
 * (bench/analyze/schema-size.ts), with their "linear" target rows.
 */
import { fmtMs, median } from '../lib.js';
import { BIG_STATEMENTS, bigMedian, type BigFileResult } from './big-file.js';
import { SCHEMA_TABLES, SCHEMA_WARM_UP, schemaLinearity, type SchemaSizeResult } from './schema-size.js';
import type { Tool } from './tools.js';

/** The median wall time of each tool at each of the small sizes (1k, 10k). */
export interface SmallSize {
  statements: number;
  median(key: Tool['key']): number;
}

/** 100k may cost at most this many times 10k and still count as linear. */
const LINEAR_SLACK = 1.25;
const n = (value: number) => value.toLocaleString('en');
const perThousand = (ms: number, statements: number) => {
  const per = ms / (statements / 1000);
  return `${per >= 100 ? Math.round(per) : per.toFixed(1)} ms`;
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** 100k ÷ 10k, and whether that is within LINEAR_SLACK × the 10× more statements. */
function growth(big: number | null, ten: number): { ratio: number; linear: boolean } | null {
  if (big === null) return null;
  const ratio = big / ten;
  return { ratio, linear: ratio <= LINEAR_SLACK * (BIG_STATEMENTS / 10_000) };
}

function scalingRow(tool: Tool, small: readonly SmallSize[], big: BigFileResult): string[] {
  const run = big.runs.find((r) => r.key === tool.key);
  const bigMs = bigMedian(big, tool.key);
  const ten = small.find((s) => s.statements === 10_000)?.median(tool.key) ?? NaN;
  const g = growth(bigMs, ten);
  const bigCell = bigMs === null ? `failed: ${run?.failure ?? 'no time'}` : fmtMs(bigMs);
  const name = tool.key === 'schemapilot' ? `**${tool.label}**` : tool.label;
  const time = `| ${name}: wall time | ${small.map((s) => fmtMs(s.median(tool.key))).join(' | ')} | ${bigCell} | ${g ? `${g.ratio.toFixed(1)}×` : '-'} |`;
  if (tool.key === 'node') return [time];
  const perCells = small.map((s) => perThousand(s.median(tool.key), s.statements));
  const bigPer = bigMs === null ? '-' : perThousand(bigMs, BIG_STATEMENTS);
  const verdict = g ? (g.linear ? 'linear' : 'more than linear') : '-';
  return [time, `| ${name}: ms per 1,000 statements | ${[...perCells, bigPer].join(' | ')} | ${verdict} |`];
}

export function formatScaling(
  tools: readonly Tool[],
  small: readonly SmallSize[],
  big: BigFileResult,
): string[] {
  const shown = tools.filter((t) => big.runs.some((r) => r.key === t.key));
  const seen = big.runs
    .filter((r) => r.seen !== null)
    .map((r) => `${r.key} read ${r.seen}`)
    .join('; ');
  return [
    `Scaling with file size: the 1k and 10k columns are the medians above; ${n(big.statements)} statements`,
    `(${big.file}, ${mib(big.bytes)}, same generator and seed), median of ${big.rounds} rounds, tools interleaved,`,
    `120 s limit a run. Linear: 100k costs ≤ ${LINEAR_SLACK} × 10 × the 10k time (start-up makes small files`,
    `dear per statement; what matters is that the 10k → 100k step costs no more than 10× the statements do).`,
    '',
    `| command | ${[...small.map((s) => s.statements), big.statements].map((c) => `${n(c)} statements`).join(' | ')} | 100k ÷ 10k (linear: ≤ ${LINEAR_SLACK * (BIG_STATEMENTS / 10_000)}×) |`,
    `| --- | ${small.map(() => '---').join(' | ')} | --- | --- |`,
    ...shown.flatMap((t) => scalingRow(t, small, big)),
    '',
    `What each tool reported reading at 100k: ${seen || '-'}.`,
  ];
}

/** The "linear in statements" target row (schemapilot, whole process). */
export function statementsTargetRow(small: readonly SmallSize[], big: BigFileResult): string {
  const bigMs = bigMedian(big, 'schemapilot');
  const ten = small.find((s) => s.statements === 10_000)?.median('schemapilot') ?? NaN;
  const g = growth(bigMs, ten);
  const run = big.runs.find((r) => r.key === 'schemapilot');
  const measured = g ? `100k = ${g.ratio.toFixed(1)} × 10k` : `100k failed: ${run?.failure ?? 'no time'}`;
  return `| linear in statements (whole process, 100k ≤ ${LINEAR_SLACK} × 10 × 10k) | ${measured} | ${g?.linear ? 'met' : 'missed'} |`;
}

export function formatSchemaSize(r: SchemaSizeResult): string[] {
  const first = r.cases[0];
  const last = r.cases[r.cases.length - 1];
  const extra = (pick: (c: (typeof r.cases)[number]) => number) =>
    first && last ? (pick(last) - pick(first)) / (last.tables - first.tables) : NaN;
  const perTable = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${Math.round(ms * 1000)} µs`);
  const wholeExtra = extra((c) => median(c.times));
  const warmExtra = extra((c) => median(c.warmMs));
  return [
    `Schema size: ${n(r.statements)} statements of the same generator and seed, written over the tables of a`,
    `snapshot of ${SCHEMA_TABLES.map(n).join(', ')} tables (10 columns, a primary key, 2 indexes and a foreign key each;`,
    '`bench/out/snapshot-N.json`, as `inspect --format json` writes it), so each statement names a table the',
    `snapshot holds. Whole process: \`schemapilot analyze <file> --schema <snapshot> --format json -o /dev/null\`,`,
    `median of ${r.rounds} rounds, sizes interleaved; in process: \`analyze()\` given the parsed snapshot, after`,
    `${SCHEMA_WARM_UP} warm-up runs, median of ${r.warmRuns}.`,
    '',
    '| snapshot | snapshot file | whole process | in process `analyze()` | report says it read |',
    '| --- | --- | --- | --- | --- |',
    ...r.cases.map(
      (c) =>
        `| ${n(c.tables)} tables | ${mib(c.snapshotBytes)} | ${fmtMs(median(c.times))} | ${fmtMs(median(c.warmMs))} | ${c.seen} |`,
    ),
    '',
    `Each table past the first ${n(first?.tables ?? 0)} costs ${perTable(wholeExtra)} whole process (reading and checking the`,
    `snapshot included) and ${perTable(warmExtra)} in process.`,
  ];
}

/** The "linear in schema size" target row: both whole process and in process must be linear. */
export function schemaTargetRow(r: SchemaSizeResult): string {
  const whole = r.cases.map((c) => median(c.times));
  const warm = r.cases.map((c) => median(c.warmMs));
  const w = schemaLinearity(whole);
  const i = schemaLinearity(warm);
  const path = (times: number[]) => times.map(fmtMs).join(' → ');
  const [small = 0, mid = 0, big = 0] = SCHEMA_TABLES;
  const rule = `${n(big)} ≤ ${LINEAR_SLACK} × the ${n(small)} → ${n(mid)} growth extrapolated`;
  return (
    `| linear in schema size (${SCHEMA_TABLES.map(n).join(' → ')} tables: ${rule}) ` +
    `| whole process ${path(whole)} (limit ${fmtMs(w.limit)}); in process ${path(warm)} (limit ${fmtMs(i.limit)}) ` +
    `| ${w.linear && i.linear ? 'met' : 'missed'} |`
  );
}
