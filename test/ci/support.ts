import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';

/**
 * Every variable `schemapilot comment` reads, emptied: the test process may itself run under
 * GitHub Actions or GitLab CI, whose values must not reach the command.
 */
export const NO_CI_ENV: Record<string, string> = Object.fromEntries(
  [
    'GITHUB_TOKEN',
    'GITHUB_REPOSITORY',
    'GITHUB_EVENT_PATH',
    'GITHUB_API_URL',
    'GITHUB_STEP_SUMMARY',
    'GITHUB_ACTIONS',
    'GITLAB_TOKEN',
    'CI_API_V4_URL',
    'CI_PROJECT_ID',
    'CI_PROJECT_PATH',
    'CI_PROJECT_URL',
    'CI_MERGE_REQUEST_IID',
  ].map((name) => [name, '']),
);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sp-comment-'));
}

/** A report file in `dir`. */
export function writeReport(dir: string, text: string, name = 'report.md'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export function comment(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return runCli(['comment', ...args], { env: { ...NO_CI_ENV, ...env } });
}

export function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** `· created comment 123 on o/r#7: url` → 123; fails the test on any other stderr. */
export function postedId(result: CliResult, action: 'created' | 'updated', noun = 'comment'): number {
  expect(result.code, result.stderr).toBe(0);
  const match = new RegExp(`^· ${action} ${noun} (\\d+) on [^\\n]+\\n$`).exec(result.stderr);
  expect(match, result.stderr).not.toBeNull();
  return Number(match?.[1]);
}
