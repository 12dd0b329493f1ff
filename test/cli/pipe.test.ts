/**
 * `schemapilot analyze … | head`: the reader closes the pipe after a line, and the CLI used to
 * die on the next write with an unhandled EPIPE and a Node stack trace on stderr. It now ends
 * quietly with the verdict's exit code, which a shell with pipefail passes on.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('output piped into a reader that stops early', () => {
  it('ends without a stack trace and with the verdict as its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-pipe-'));
    const file = join(dir, 'many.sql');
    // Far more report than a pipe buffers (64 KiB), so writes go on after `head` has left.
    const statements = Array.from({ length: 600 }, (_, i) => `ALTER TABLE t${i} RENAME COLUMN a TO b;`);
    writeFileSync(file, statements.join('\n'));
    const script = `set -o pipefail; node --import tsx src/cli/main.ts analyze ${file} --format json | head -n 1 > /dev/null; echo "rc=$?" >&2`;
    const stderr = await new Promise<string>((resolve) => {
      execFile('bash', ['-c', script], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (_e, _o, err) =>
        resolve(err),
      );
    });
    expect(stderr).not.toMatch(/EPIPE|node:events|Unhandled/);
    // Renaming columns breaks running code: the analysis says not safe (1), not a crash's code.
    expect(stderr.trim().split('\n').at(-1)).toBe('rc=1');
  }, 60_000);
});
