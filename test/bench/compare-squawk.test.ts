/**
 * Keeps docs/comparison.md honest: the differential check against squawk (bench/compare) runs
 * again on test/fixtures/corpus, and every disagreement it finds must be one the page lists
 * (test/fixtures/corpus/accepted-disagreements.json, written with the page by
 * `npm run bench compare`). Uses the real squawk binary from the squawk-cli dev dependency.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareWithSquawk } from '../../bench/compare/compare.js';
import { readAccepted } from '../../bench/compare/report.js';
import { run } from '../../src/cli/program.js';

const dir = mkdtempSync(join(tmpdir(), 'sp-compare-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let outputs = 0;

/**
 * The CLI in this process (twelve child processes through tsx take a minute on a small
 * machine): same argument parsing, file reading and JSON report, written to a file with -o.
 */
async function schemapilotJson(args: string[]): Promise<string> {
  const output = join(dir, `out-${++outputs}.json`);
  const before = process.exitCode;
  const code = await run([...args, '-o', output]);
  process.exitCode = before;
  // 1 means "not safe to deploy", which most corpus files are on purpose.
  if (code !== 0 && code !== 1) throw new Error(`schemapilot ${args.join(' ')} exited ${code}`);
  return readFileSync(output, 'utf8');
}

describe('differential check against squawk', () => {
  it('finds no disagreement that docs/comparison.md does not list', async () => {
    const comparison = await compareWithSquawk(schemapilotJson);
    expect(comparison.statements.length).toBeGreaterThanOrEqual(200);

    const accepted = new Set(readAccepted().map((a) => a.key));
    const unlisted = comparison.disagreements.filter((d) => !accepted.has(d.key));
    const stale = [...accepted].filter((key) => !comparison.disagreements.some((d) => d.key === key));
    if (stale.length > 0) {
      console.warn(
        `${stale.length} listed disagreements no longer occur (run \`npm run bench compare\` to refresh docs/comparison.md):\n${stale.join('\n')}`,
      );
    }
    expect(
      unlisted.map((d) => `${d.file}:${d.line} [${d.run}] ${d.side} ${d.rule}: ${d.reason ?? 'no reason'}`),
      'new disagreements with squawk: fix them, or explain them (corpus annotation or bench/compare/reasons.ts) and run `npm run bench compare`',
    ).toEqual([]);
  }, 300_000);
});
