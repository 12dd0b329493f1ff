/**
 * The CLI users run is an esbuild bundle (scripts/bundle-cli.ts, decision 0038), not the tsc
 * modules the other tests run through tsx. Built here into .bundle-test/cli/ (two levels under
 * the root, like dist/cli/), it must answer as the sources do: the same report, byte for byte,
 * and its lazily loaded commands, version and examples must be found from the bundle's place.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../scripts/bundle-cli.js';
import { runCli, type CliResult } from '../support/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = `${root}.bundle-test/cli`;

function runBundle(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`${outdir}/main.js`, ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('the bundled CLI', () => {
  beforeAll(() => bundleCli(outdir), 60_000);
  afterAll(() => rmSync(`${root}.bundle-test`, { recursive: true, force: true }));

  it.each([
    ['the PostgreSQL example, no schema', ['analyze', 'examples/shop/migrations']],
    [
      'a MySQL migration against a saved snapshot',
      [
        'analyze',
        'test/fixtures/mysql/rules/unsafe.sql',
        '--schema',
        'test/fixtures/mysql/rules/schema.json',
      ],
    ],
  ])('reports %s exactly as the sources do, exit code included', async (_what, args) => {
    const json = [...args, '--format', 'json'];
    const [fromSources, fromBundle] = await Promise.all([runCli(json), runBundle(json)]);
    expect(fromBundle.stderr).toBe(fromSources.stderr);
    expect(fromBundle.code).toBe(fromSources.code);
    expect(fromBundle.stdout).toBe(fromSources.stdout);
    expect((JSON.parse(fromBundle.stdout) as { statements: unknown[] }).statements.length).toBeGreaterThan(0);
  });

  it('finds package.json for --version and loads every command for --help', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    expect((await runBundle(['--version'])).stdout.trim()).toBe(version);
    const help = await runBundle(['--help']);
    for (const command of [
      'inspect',
      'analyze',
      'plan',
      'validate',
      'impact',
      'fleet',
      'deploy',
      'mcp',
      'comment',
    ])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('a syntax error is the same one-line error with exit code 2', async () => {
    const bad = await runBundle(['analyze', '--change', 'ALTER TABLE users ADD COLUMN']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe((await runCli(['analyze', '--change', 'ALTER TABLE users ADD COLUMN'])).stderr);
  });
});
