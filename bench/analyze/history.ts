/**
 * The many-small-files case: a migration history of 2,500 files of 1-8 statements each (about
 * the shape of a real Prisma or diesel history), analysed in one process by each tool. What
 * this measures is the cost repeated per file, which a single big file hides.
 *
 * schemapilot reads the directory (layout detection included); squawk and pgfence are given
 * the file list, as they take no directory. Files are written once to bench/out/history/.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { captureCommand, median, timeCommand } from '../lib.js';
import { generateMigration, seededRandom } from './generate.js';

const require = createRequire(import.meta.url);
export const HISTORY_FILES = 2_500;
const DIR = 'bench/out/history';

interface HistoryTool {
  key: 'node' | 'schemapilot' | 'squawk' | 'pgfence';
  label: string;
  command: string;
  args: (dir: string, files: string[]) => string[];
  /** How many statements (or findings) its report says it read, from an untimed run. */
  seen?: (stdout: string) => string;
}

export interface HistoryResult {
  files: number;
  statements: number;
  rounds: number;
  tools: { key: HistoryTool['key']; label: string; times: number[]; seen: string }[];
}

/** Writes the history (seeded, so every run and machine gets the same files). */
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

function tools(): HistoryTool[] {
  const node = process.execPath;
  const squawk = (require('squawk-cli/js/index.js') as { getBinaryPath(): string }).getBinaryPath();
  const pgfence = realpathSync(new URL('../../node_modules/.bin/pgfence', import.meta.url));
  const n = (value: number) => value.toLocaleString('en');
  return [
    { key: 'node', label: '`node -e 0`', command: node, args: () => ['-e', '0'] },
    {
      key: 'schemapilot',
      label: '`schemapilot analyze <dir> --format json`',
      command: node,
      args: (dir) => ['dist/cli/main.js', 'analyze', dir, '--format', 'json'],
      seen: (out) => `${n((JSON.parse(out) as { statements: unknown[] }).statements.length)} statements`,
    },
    {
      key: 'squawk',
      label: '`squawk --reporter json <files>` (native binary)',
      command: squawk,
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

export async function runHistoryBench(log: (s: string) => void): Promise<HistoryResult> {
  const history = writeHistory();
  const files = readdirSync(history.dir)
    .sort()
    .map((f) => `${history.dir}/${f}`);
  const rounds = Number(process.env['BENCH_ANALYZE_HISTORY_ROUNDS'] ?? 5);
  const list = tools();
  const seen = new Map<HistoryTool['key'], string>();
  for (const tool of list) {
    if (!tool.seen) continue;
    const out = await captureCommand(tool.command, tool.args(history.dir, files), [0, 1]);
    seen.set(tool.key, tool.seen(out));
  }
  log(`  history of ${files.length} files: ${[...seen].map(([k, v]) => `${k} read ${v}`).join('; ')}`);
  const times = new Map<HistoryTool['key'], number[]>(list.map((t) => [t.key, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const tool of list) {
      const args =
        tool.key === 'schemapilot'
          ? [...tool.args(history.dir, files), '-o', '/dev/null']
          : tool.args(history.dir, files);
      times.get(tool.key)?.push(await timeCommand(tool.command, args, {}, [0, 1]));
    }
    log(`  history round ${round}/${rounds}`);
  }
  return {
    files: files.length,
    statements: history.statements,
    rounds,
    tools: list.map((t) => ({
      key: t.key,
      label: t.label,
      times: times.get(t.key) ?? [],
      seen: seen.get(t.key) ?? '',
    })),
  };
}

export function formatHistory(r: HistoryResult): string {
  const ours = median(r.tools.find((t) => t.key === 'schemapilot')?.times ?? []);
  const fmt = (value: number) =>
    value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
  return [
    `Many small files: ${r.files.toLocaleString('en')} files, ${r.statements.toLocaleString('en')} statements`,
    `(1-8 per file), one process per tool; median of ${r.rounds} rounds, tools interleaved.`,
    '',
    '| command | wall time | per file | vs schemapilot | report says it read |',
    '| --- | --- | --- | --- | --- |',
    ...r.tools.map((t) => {
      const med = median(t.times);
      return `| ${t.label} | ${t.key === 'schemapilot' ? `**${fmt(med)}**` : fmt(med)} | ${(med / r.files).toFixed(2)} ms | ${t.key === 'schemapilot' ? '1×' : `${(med / ours).toFixed(2)}×`} | ${t.seen || '-'} |`;
    }),
  ].join('\n');
}
