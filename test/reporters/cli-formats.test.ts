import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const change = 'ALTER TABLE users DROP COLUMN email';
const dir = mkdtempSync(join(tmpdir(), 'schemapilot-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('schemapilot analyze --format', () => {
  it('prints markdown, sarif and github, and writes --output', async () => {
    const sarifFile = join(dir, 'report.sarif');
    const [markdown, sarif, github, bad] = await Promise.all([
      runCli(['analyze', '--change', change, '--format', 'markdown']),
      runCli(['analyze', '--change', change, '--format', 'sarif', '--output', sarifFile]),
      runCli(['analyze', '--change', change, '--format', 'github']),
      runCli(['analyze', '--change', change, '--format', 'html']),
    ]);
    expect(markdown.stdout).toMatch(/^## Migration Analysis\n/);
    expect(markdown.code).toBe(1); // dropping a column is not safe to deploy, whatever the format

    expect(sarif.stdout).toBe('');
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const log = JSON.parse(readFileSync(sarifFile, 'utf8')) as {
      runs: { tool: { driver: { version: string } }; results: { ruleId: string }[] }[];
    };
    expect(log.runs[0]?.tool.driver.version).toBe(version);
    expect(log.runs[0]?.results.map((r) => r.ruleId)).toContain('drop-column');

    expect(github.stdout).toMatch(/^::error title=schemapilot drop-column::/);
    expect(github.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^::error title=schemapilot%3A review required::/,
    );

    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('markdown, sarif, github');
  });
});
