/**
 * The commands the analyze benchmark times, and how to check that each one really read the
 * whole file (a linter that stopped at a syntax error would look fast for the wrong reason).
 */
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';

const require = createRequire(import.meta.url);

export interface Tool {
  /** Short key used in results. */
  key: 'node' | 'schemapilot' | 'squawk' | 'squawk-npm' | 'pgfence';
  /** Row label in RESULTS.md. */
  label: string;
  command: string;
  args(file: string): string[];
  /** Linters exit 1 when they find problems; that is a normal run here. */
  okExitCodes: number[];
  /**
   * An untimed run that prints the tool's report, and what the report says about how much of the
   * file was read. Absent for `node -e 0` and the npm wrapper (same binary as the native row).
   */
  check?: { args(file: string): string[]; seen(stdout: string): string };
}

/**
 * The schemapilot CLI the analyze benchmarks run with `node` (relative to the repository root,
 * where `npm run bench` runs): the one place to change when the entry point moves (a bundle).
 */
export const SCHEMAPILOT_CLI = 'dist/cli/main.js';

/** squawk-cli's npm package is a Node wrapper that spawns a native binary; both are timed. */
export function squawkBinary(): string {
  const wrapper = require('squawk-cli/js/index.js') as { getBinaryPath(): string };
  return wrapper.getBinaryPath();
}

export function binScript(name: string): string {
  return realpathSync(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
}

const count = (n: number) => n.toLocaleString('en');

export function benchTools(): Tool[] {
  const node = process.execPath;
  const squawkArgs = (file: string) => ['--reporter', 'json', file];
  const pgfenceArgs = (file: string) => [
    binScript('pgfence'),
    'analyze',
    '--format',
    'sql',
    '--output',
    'json',
    file,
  ];
  return [
    {
      key: 'node',
      label: '`node -e 0` (the floor for any Node CLI)',
      command: node,
      args: () => ['-e', '0'],
      okExitCodes: [0],
    },
    {
      key: 'schemapilot',
      label: '`schemapilot analyze --format json -o /dev/null`',
      command: node,
      args: (file) => [SCHEMAPILOT_CLI, 'analyze', file, '--format', 'json', '-o', '/dev/null'],
      okExitCodes: [0, 1],
      check: {
        args: (file) => [SCHEMAPILOT_CLI, 'analyze', file, '--format', 'json'],
        seen: (stdout) =>
          `${count((JSON.parse(stdout) as { statements: unknown[] }).statements.length)} statements`,
      },
    },
    {
      key: 'squawk',
      label: '`squawk --reporter json` (native binary)',
      command: squawkBinary(),
      args: squawkArgs,
      okExitCodes: [0, 1],
      check: {
        args: squawkArgs,
        // squawk's JSON has no statement count; its last finding's line (0-based) shows how far it read.
        seen: (stdout) => {
          const findings = JSON.parse(stdout) as { line: number }[];
          const last = findings.reduce((max, f) => Math.max(max, f.line + 1), 0);
          return `${count(findings.length)} findings, the last on line ${count(last)}`;
        },
      },
    },
    {
      key: 'squawk-npm',
      label: '`squawk --reporter json` (npm bin: Node wrapper that spawns the binary)',
      command: node,
      args: (file) => [binScript('squawk'), ...squawkArgs(file)],
      okExitCodes: [0, 1],
    },
    {
      key: 'pgfence',
      label: '`pgfence analyze --output json`',
      command: node,
      args: pgfenceArgs,
      okExitCodes: [0, 1],
      check: {
        args: pgfenceArgs,
        seen: (stdout) =>
          `${count((JSON.parse(stdout) as { coverage: { totalStatements: number } }).coverage.totalStatements)} statements`,
      },
    },
  ];
}
