/**
 * The scaling case: one file of 100,000 statements (the same seeded generator as the 1k and 10k
 * files), timed as a whole process for `node -e 0`, schemapilot, squawk's native binary and
 * pgfence. Fewer rounds than the small sizes (BENCH_ANALYZE_BIG_ROUNDS, default 3): a round
 * takes tens of seconds. A tool that fails or runs past 120 s is recorded as such and left out
 * of the later rounds, so one slow competitor cannot stall or crash the benchmark.
 */
import { writeFileSync } from 'node:fs';
import { captureCommand, median, timeCommand } from '../lib.js';
import { generateMigration } from './generate.js';
import type { Tool } from './tools.js';

export const BIG_STATEMENTS = 100_000;
const BIG_FILE = 'bench/out/analyze-100k.sql';
const TIMEOUT_MS = 120_000;
/** The commands timed on the big file (the npm wrapper adds nothing the native row does not show). */
const BIG_KEYS: readonly Tool['key'][] = ['node', 'schemapilot', 'squawk', 'pgfence'];

export interface BigToolRun {
  key: Tool['key'];
  times: number[];
  /** Why the tool has no time (failed or timed out), or null. */
  failure: string | null;
  /** What its report says it read, when it has a check and the check ran. */
  seen: string | null;
}

export interface BigFileResult {
  statements: number;
  bytes: number;
  file: string;
  rounds: number;
  runs: BigToolRun[];
}

/** The markdown-safe first line of a failure: `timed out after 120 s`, `exited 2: …`. */
function failureOf(error: unknown): string {
  const message = (error as Error).message;
  const exited = / exited (\S+): ?(.*)/s.exec(message);
  const text = exited
    ? `exited ${exited[1]}${exited[2]?.trim() ? `: ${exited[2].trim().split('\n')[0]?.slice(0, 120)}` : ''}`
    : message.includes('timed out')
      ? `timed out after ${TIMEOUT_MS / 1000} s`
      : message.split('\n')[0]?.slice(0, 120);
  return (text ?? 'failed').replaceAll('|', '\\|');
}

async function checkRead(tool: Tool, run: BigToolRun, file: string): Promise<void> {
  if (!tool.check) return;
  try {
    const stdout = await captureCommand(tool.command, tool.check.args(file), tool.okExitCodes, TIMEOUT_MS);
    run.seen = tool.check.seen(stdout);
  } catch (error) {
    run.failure = failureOf(error);
  }
}

async function timeOnce(tool: Tool, run: BigToolRun, file: string): Promise<void> {
  if (run.failure) return;
  try {
    run.times.push(await timeCommand(tool.command, tool.args(file), {}, tool.okExitCodes, TIMEOUT_MS));
  } catch (error) {
    run.failure = failureOf(error);
  }
}

export async function runBigFile(tools: readonly Tool[], log: (s: string) => void): Promise<BigFileResult> {
  const sql = generateMigration(BIG_STATEMENTS);
  writeFileSync(BIG_FILE, sql);
  const rounds = Number(process.env['BENCH_ANALYZE_BIG_ROUNDS'] ?? 3);
  const timed = tools.filter((t) => BIG_KEYS.includes(t.key));
  const runs = timed.map((t): BigToolRun => ({ key: t.key, times: [], failure: null, seen: null }));
  for (const [i, tool] of timed.entries()) await checkRead(tool, runs[i] as BigToolRun, BIG_FILE);
  const said = runs.filter((r) => r.failure !== null || r.seen !== null);
  log(`  ${BIG_FILE}: ${said.map((r) => `${r.key} ${r.failure ?? `read ${r.seen}`}`).join('; ')}`);
  for (let round = 1; round <= rounds; round++) {
    for (const [i, tool] of timed.entries()) await timeOnce(tool, runs[i] as BigToolRun, BIG_FILE);
    log(`  ${BIG_FILE} round ${round}/${rounds}`);
  }
  return { statements: BIG_STATEMENTS, bytes: Buffer.byteLength(sql), file: BIG_FILE, rounds, runs };
}

/** Median wall time of a tool on the big file, or null when it has none. */
export function bigMedian(r: BigFileResult, key: Tool['key']): number | null {
  const run = r.runs.find((x) => x.key === key);
  return run && !run.failure && run.times.length > 0 ? median(run.times) : null;
}
