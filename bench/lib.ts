import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';

/**
 * Run a command to completion; resolves with wall time in ms. Throws on an exit code outside
 * `okExitCodes` (default: only 0; linters exit 1 when they find problems, which is not a failure),
 * and, when `timeoutMs` is given, kills the command and throws once it has run that long.
 */
export function timeCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  okExitCodes: readonly number[] = [0],
  timeoutMs?: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    const timer = killAfter(child, timeoutMs);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer.handle);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (timer.fired) reject(new Error(timedOut(command, timeoutMs)));
      else if (code !== null && okExitCodes.includes(code)) resolve(ms);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
    });
  });
}

/** Kills `child` (this process's own child, by its handle) after `ms`; a no-op without `ms`. */
function killAfter(child: ChildProcess, ms: number | undefined): { handle?: NodeJS.Timeout; fired: boolean } {
  const timer: { handle?: NodeJS.Timeout; fired: boolean } = { fired: false };
  if (ms === undefined) return timer;
  timer.handle = setTimeout(() => {
    timer.fired = true;
    child.kill('SIGKILL');
  }, ms);
  return timer;
}

const timedOut = (command: string, ms: number | undefined) =>
  `${command} timed out after ${Math.round((ms ?? 0) / 1000)} s`;

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function repeat(times: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await fn());
  return out;
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export const fmtMs = (ms: number): string =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;

/** Run a command and collect its stdout (for checking what a tool saw, outside any timing). */
export function captureCommand(
  command: string,
  args: readonly string[],
  okExitCodes: readonly number[] = [0],
  timeoutMs?: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = killAfter(child, timeoutMs);
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer.handle);
      if (timer.fired) reject(new Error(timedOut(command, timeoutMs)));
      else if (code !== null && okExitCodes.includes(code)) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
    });
  });
}

/** A CLI run with the arrival time of each stderr line (progress lines split a run into phases). */
export interface TimedRun {
  ms: number;
  exitCode: number;
  /** Every complete stderr line with the time it arrived, ms after the start. */
  lines: { atMs: number; text: string }[];
  stdout: string;
}

/** Run `node <args>`; exit codes 0 and 1 (a verdict) resolve, anything else rejects. */
export function runTimedNode(args: readonly string[], what: string): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - started) / 1e6;
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: TimedRun['lines'] = [];
    let pending = '';
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const at = since();
      stderr += chunk.toString();
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const text of parts) lines.push({ atMs: at, text });
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = since();
      if (code === 0 || code === 1) resolve({ ms, exitCode: code, lines, stdout });
      else reject(new Error(`${what} exited ${code}: ${stderr.slice(0, 800)}`));
    });
  });
}
