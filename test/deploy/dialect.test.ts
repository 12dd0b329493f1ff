/**
 * deploy() takes the target's dialect and the plan names its own: a plan made for one dialect
 * is refused by another's deploy before anything connects (the URL here goes nowhere).
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/api/plan.js';
import { deploy, DEFAULT_DEPLOY_LIMITS } from '../../src/deploy/deploy.js';
import { InputError } from '../../src/core/errors.js';
import { toyDialect } from '../dialects/toy/index.js';

describe('deploy and the dialect of its plan', () => {
  it('refuses a PostgreSQL plan for another dialect, with exit code 2, before connecting', async () => {
    const made = await plan({
      files: [{ path: 'm.sql', sql: 'ALTER TABLE t ADD COLUMN c int;', transaction: 'transaction' }],
    });
    expect(made.dialect).toBe('postgres');
    const attempt = deploy({
      ...DEFAULT_DEPLOY_LIMITS,
      dialect: toyDialect,
      url: 'postgres://nobody@127.0.0.1:1/none',
      plan: made,
    });
    await expect(attempt).rejects.toThrow('the plan: made for postgres, and this deploy goes to Toy');
    await expect(attempt).rejects.toBeInstanceOf(InputError);
  });
});
