/**
 * Numeric flags are checked against what PostgreSQL accepts and what can make sense, before
 * anything runs: one line naming the flag, exit code 2, nothing written.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { expect } from 'vitest';
import { runCli } from '../support/cli.js';
import { expectUsageError } from './support.js';

const CHANGE = ['--change', 'ALTER TABLE users ADD COLUMN a int'];

describe('numeric flags out of range', () => {
  const cases: [string[], RegExp][] = [
    // lock_timeout and statement_timeout are int4 milliseconds on the server.
    [
      ['plan', ...CHANGE, '--lock-timeout-ms', '99999999999999'],
      /--lock-timeout-ms must be a whole number from 1 to 2147483647 ms; got "99999999999999"/,
    ],
    [
      ['plan', ...CHANGE, '--statement-timeout-ms', '2147483648'],
      /--statement-timeout-ms must be a whole number from 0 to 2147483647 ms/,
    ],
    [['plan', ...CHANGE, '--lock-timeout-ms', '-5'], /--lock-timeout-ms must be a whole number/],
    [['plan', ...CHANGE, '--lock-timeout-ms', '1e3'], /--lock-timeout-ms must be a whole number/],
    [['plan', ...CHANGE, '--batch-size', '0'], /--batch-size must be a whole number from 1 to 10000000 rows/],
    [
      ['plan', ...CHANGE, '--lock-timeout-ms', '5000', '--statement-timeout-ms', '1000'],
      /--lock-timeout-ms 5000 is above --statement-timeout-ms 1000/,
    ],
    [
      ['deploy', ...CHANGE, '--db', 'postgres://u@127.0.0.1:1/x', '--retries', '100000'],
      /--retries must be a whole number from 1 to 100/,
    ],
    [
      ['deploy', ...CHANGE, '--db', 'postgres://u@127.0.0.1:1/x', '--step-budget-ms', '999999999999'],
      /--step-budget-ms must be a whole number from 1 to 86400000 ms/,
    ],
  ];
  for (const [args, message] of cases) {
    it(args.slice(3).join(' '), async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sp-flags-'));
      const out = join(dir, 'plan.json');
      const result = await runCli(args[0] === 'plan' ? [...args, '--out', out] : args);
      expectUsageError(result, message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('a lock timeout below a statement timeout of 0 (none) is fine', async () => {
    const result = await runCli([
      'plan',
      ...CHANGE,
      '--lock-timeout-ms',
      '5000',
      '--statement-timeout-ms',
      '0',
      '--format',
      'json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).steps[0].lockTimeoutMs).toBe(5000);
  });
});
