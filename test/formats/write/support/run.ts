/**
 * Child processes for the writer tests: the migration tools, python3 and tsc. Always
 * asynchronous: a blocking spawn would stall an embedded PostgreSQL whose log this process
 * drains (DESIGN.md).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

export interface ToolResult {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

export function runTool(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ToolResult> {
  const command = [file, ...args].join(' ');
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd ?? REPO_ROOT,
        // DATABASE_URL from the developer's shell must not reach a tool that reads it by default.
        env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '', ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ command, code, stdout, stderr: stderr || (error && code !== 0 ? error.message : '') });
      },
    );
  });
}

/** The whole exchange, for assertion messages: which command, and everything it printed. */
export function describeRun(r: ToolResult): string {
  return `\`${r.command}\` exited with ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** Run and fail with the tool's own output when it does not exit with 0. */
export async function mustRun(
  file: string,
  args: readonly string[],
  options: Parameters<typeof runTool>[2] = {},
): Promise<ToolResult> {
  const r = await runTool(file, args, options);
  if (r.code !== 0) throw new Error(describeRun(r));
  return r;
}

/** Whether a program is on PATH (psql and python3 come with the system, not with npm). */
export async function hasCommand(file: string, versionFlag = '--version'): Promise<boolean> {
  return (await runTool(file, [versionFlag], { timeoutMs: 10_000 })).code === 0;
}
