/**
 * The many-small-files case, analysed in one process by each tool. What this measures is the
 * cost repeated per file, which a single big file hides. Two histories, timed in the same
 * interleaved rounds:
 *  - 2,500 plain files of 1-8 statements each (`bench/out/history/00001_change.sql` …);
 *  - 1,500 Prisma migrations of 1-8 statements each, in Prisma's layout
 *    (`bench/out/prisma-history/prisma/migrations/<timestamp>_<name>/migration.sql` and
 *    `migration_lock.toml`; bench/analyze/prisma-history.ts).
 *
 * schemapilot reads the directory (layout detection included; the Prisma one must be detected
 * as Prisma's, which the run checks); squawk and pgfence are given the file list, as they take
 * no directory. Files are written once a run, seeded.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { captureCommand, fmtMs, median, timeCommand } from '../lib.js';
import { generateMigration, seededRandom } from './generate.js';
import { writePrismaHistory } from './prisma-history.js';
import { binScript, SCHEMAPILOT_CLI, squawkBinary } from './tools.js';

export const HISTORY_FILES = 2_500;
export const PRISMA_MIGRATIONS = 1_500;
const DIR = 'bench/out/history';
const PRISMA_ROOT = 'bench/out/prisma-history';

type HistoryKey = 'node' | 'schemapilot' | 'squawk' | 'pgfence';

interface HistoryTool {
  key: HistoryKey;
  label: string;
  command: string;
  args: (dir: string, files: string[]) => string[];
  /** How many statements (or findings) its report says it read, from an untimed run. */
  seen?: (stdout: string) => string;
}

/** A history on disk: the directory schemapilot reads, the files the others get. */
interface History {
  title: string;
  dir: string;
  files: string[];
  statements: number;
  /** Checks schemapilot's report of it (e.g. that the layout was detected); throws when wrong. */
  verify?: (report: Report) => void;
}

interface Report {
  statements: unknown[];
  assumptions: string[];
}

export interface HistoryCaseResult {
  title: string;
  files: number;
  statements: number;
  tools: { key: HistoryKey; label: string; times: number[]; seen: string }[];
}

export interface HistoryResult {
  rounds: number;
  cases: HistoryCaseResult[];
}

/** Writes the plain history (seeded, so every run and machine gets the same files). */
export function writeHistory(): { dir: string; files: string[]; statements: number } {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const random = seededRandom(20261206);
  let statements = 0;
  const files: string[] = [];
  for (let i = 1; i <= HISTORY_FILES; i++) {
    const count = 1 + Math.floor(random() * 8);
    statements += count;
    const file = `${DIR}/${String(i).padStart(5, '0')}_change.sql`;
    writeFileSync(file, generateMigration(count, 1_000 + i));
    files.push(file);
  }
  return { dir: DIR, files, statements };
}

function plainHistory(): History {
  const history = writeHistory();
  const files = readdirSync(history.dir)
    .sort()
    .map((f) => `${history.dir}/${f}`);
  return { title: 'plain files', ...history, files };
}

function prismaHistory(): History {
  const history = writePrismaHistory(PRISMA_ROOT, PRISMA_MIGRATIONS);
  return {
    title: 'Prisma migrations',
    ...history,
    // schemapilot says which Prisma transaction mode it assumed only for a Prisma layout.
    verify: (report) => {
      if (!report.assumptions.some((a) => a.startsWith('Prisma')))
        throw new Error(`${history.dir} was not read as a Prisma layout: ${report.assumptions.join(' / ')}`);
    },
  };
}

const n = (value: number) => value.toLocaleString('en');

function tools(): HistoryTool[] {
  const node = process.execPath;
  const pgfence = binScript('pgfence');
  return [
    { key: 'node', label: '`node -e 0`', command: node, args: () => ['-e', '0'] },
    {
      key: 'schemapilot',
      label: '`schemapilot analyze <dir> --format json`',
      command: node,
      args: (dir) => [SCHEMAPILOT_CLI, 'analyze', dir, '--format', 'json'],
      seen: (out) => `${n((JSON.parse(out) as Report).statements.length)} statements`,
    },
    {
      key: 'squawk',
      label: '`squawk --reporter json <files>` (native binary)',
      command: squawkBinary(),
      args: (_dir, files) => ['--reporter', 'json', ...files],
      seen: (out) => `${n((JSON.parse(out) as unknown[]).length)} findings`,
    },
    {
      key: 'pgfence',
      label: '`pgfence analyze --output json <files>`',
      command: node,
      args: (_dir, files) => [pgfence, 'analyze', '--format', 'sql', '--output', 'json', ...files],
      seen: (out) =>
        `${n((JSON.parse(out) as { coverage: { totalStatements: number } }).coverage.totalStatements)} statements`,
    },
  ];
}

/** One untimed run of each tool: what its report says it read (and schemapilot's verified). */
async function seenBy(list: HistoryTool[], history: History): Promise<Map<HistoryKey, string>> {
  const seen = new Map<HistoryKey, string>();
  for (const tool of list) {
    if (!tool.seen) continue;
    const out = await captureCommand(tool.command, tool.args(history.dir, history.files), [0, 1]);
    if (tool.key === 'schemapilot') history.verify?.(JSON.parse(out) as Report);
    seen.set(tool.key, tool.seen(out));
  }
  return seen;
}

export async function runHistoryBench(log: (s: string) => void): Promise<HistoryResult> {
  const histories = [plainHistory(), prismaHistory()];
  const rounds = Number(process.env['BENCH_ANALYZE_HISTORY_ROUNDS'] ?? 5);
  const list = tools();
  const seen: Map<HistoryKey, string>[] = [];
  for (const history of histories) {
    seen.push(await seenBy(list, history));
    const said = [...(seen.at(-1) ?? [])].map(([k, v]) => `${k} read ${v}`).join('; ');
    log(`  ${history.title}, ${history.files.length} files: ${said}`);
  }
  const times = histories.map(() => new Map<HistoryKey, number[]>(list.map((t) => [t.key, []])));
  for (let round = 1; round <= rounds; round++) {
    for (const [i, history] of histories.entries()) {
      for (const tool of list) {
        const args = tool.args(history.dir, history.files);
        if (tool.key === 'schemapilot') args.push('-o', '/dev/null');
        times[i]?.get(tool.key)?.push(await timeCommand(tool.command, args, {}, [0, 1]));
      }
    }
    log(`  history round ${round}/${rounds}`);
  }
  const cases = histories.map((h, i) => ({
    title: h.title,
    files: h.files.length,
    statements: h.statements,
    tools: list.map((t) => ({
      key: t.key,
      label: t.label,
      times: times[i]?.get(t.key) ?? [],
      seen: seen[i]?.get(t.key) ?? '',
    })),
  }));
  return { rounds, cases };
}

const medianOf = (c: HistoryCaseResult, key: HistoryKey) =>
  median(c.tools.find((t) => t.key === key)?.times ?? []);

function caseTable(c: HistoryCaseResult): string[] {
  const ours = medianOf(c, 'schemapilot');
  return [
    '| command | wall time | per file | vs schemapilot | report says it read |',
    '| --- | --- | --- | --- | --- |',
    ...c.tools.map((t) => {
      const med = median(t.times);
      return `| ${t.label} | ${t.key === 'schemapilot' ? `**${fmtMs(med)}**` : fmtMs(med)} | ${(med / c.files).toFixed(2)} ms | ${t.key === 'schemapilot' ? '1×' : `${(med / ours).toFixed(2)}×`} | ${t.seen || '-'} |`;
    }),
  ];
}

function pgfenceTargetRow(c: HistoryCaseResult): string {
  const ratio = medianOf(c, 'pgfence') / medianOf(c, 'schemapilot');
  return `| ≥ 3× faster than pgfence (${n(c.files)} ${c.title}) | ${ratio.toFixed(2)}× | ${ratio >= 3 ? 'met' : 'missed'} |`;
}

export function formatHistory(r: HistoryResult): string {
  const [plain, prisma] = r.cases;
  const lines = [
    `Many small files, one process per tool; median of ${r.rounds} rounds, every tool on both histories`,
    'in each round, in turn.',
  ];
  if (plain)
    lines.push(
      '',
      `${n(plain.files)} plain files, ${n(plain.statements)} statements (1-8 per file):`,
      '',
      ...caseTable(plain),
    );
  if (prisma)
    lines.push(
      '',
      `${n(prisma.files)} Prisma migrations, ${n(prisma.statements)} statements (1-8 per migration):`,
      '`prisma/migrations/<timestamp>_<name>/migration.sql` and `migration_lock.toml`; schemapilot reads',
      `\`prisma/migrations\` (detected as Prisma's layout, checked), the others get the ${n(prisma.files)} files.`,
      '',
      ...caseTable(prisma),
    );
  lines.push('', '| target | measured | |', '| --- | --- | --- |', ...r.cases.map(pgfenceTargetRow));
  return lines.join('\n');
}
