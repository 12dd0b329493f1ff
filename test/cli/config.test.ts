/**
 * schemapilot.config.json through the real CLI: a valid file changes the verdicts it should;
 * an invalid one is a one-line error naming the file and the key, with exit code 2.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runCli } from '../support/cli.js';
import { tempLayout } from '../formats/support.js';
import { BRIEF_EXAMPLE, expectUsageError, json, rules } from './support.js';

// Every test here runs the real CLI (a Node process each): slow when the machine is busy.
vi.setConfig({ testTimeout: 180_000 });

const KNOWN = ['add-column-volatile-default', 'lock-timeout-missing'];

/** Write a config file into a fresh directory; returns its path. */
function configFile(content: unknown): string {
  const path = join(tempLayout({}), 'schemapilot.config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const analyzeWith = (config: unknown, ...args: string[]) =>
  runCli(['analyze', '--config', configFile(config), '--format', 'json', ...args]);

describe('a valid config applies', () => {
  it('turns a rule off, or raises its severity (and with it the exit code)', async () => {
    const [plain, off, raised] = await Promise.all([
      runCli(['analyze', '--change', BRIEF_EXAMPLE, '--format', 'json']),
      analyzeWith({ rules: { 'lock-timeout-missing': 'off' } }, '--change', BRIEF_EXAMPLE),
      analyzeWith({ rules: { 'lock-timeout-missing': 'error' } }, '--change', BRIEF_EXAMPLE),
    ]);
    expect(rules(json(plain))).toContain('lock-timeout-missing');
    expect(plain.code).toBe(0);
    expect(rules(json(off))).not.toContain('lock-timeout-missing');
    const finding = json(raised).statements[0]?.findings.find((f) => f.rule === 'lock-timeout-missing');
    expect(finding?.severity).toBe('error');
    expect(raised.code).toBe(1);
  });

  it('targetVersion: the brief example rewrites the table on PostgreSQL 10', async () => {
    const result = await analyzeWith({ targetVersion: 10 }, '--change', BRIEF_EXAMPLE);
    expect(result.code).toBe(1);
    const report = json(result);
    expect(report.serverVersion).toBe('10');
    expect(report.statements[0]?.rewritesTable).toBe(true);
    expect(rules(report)).toContain('add-column-volatile-default');
  });

  it("targetVersion as a MySQL version: that release's facts; a PostgreSQL run refuses it", async () => {
    // MySQL's manual: DROP COLUMN is INSTANT from 8.0.29, an INPLACE rebuild before.
    const drop = 'ALTER TABLE t DROP COLUMN c';
    const [old, recent, onPostgres] = await Promise.all([
      analyzeWith({ targetVersion: '8.0.20' }, '--dialect', 'mysql', '--change', drop),
      analyzeWith({ targetVersion: '8.0.29' }, '--dialect', 'mysql', '--change', drop),
      analyzeWith({ targetVersion: '8.0.29' }, '--change', drop),
    ]);
    const statementOf = (r: typeof old) =>
      (json(r) as unknown as { serverVersion: string; statements: { algorithm?: string }[] }).statements[0];
    expect(json(old).serverVersion).toBe('8.0.20');
    expect(statementOf(old)?.algorithm).toBe('INPLACE');
    expect(statementOf(recent)?.algorithm).toBe('INSTANT');
    expectUsageError(onPostgres, /targetVersion: "8\.0\.29" is not a PostgreSQL major from 10 to 18/);
  });

  it('runner: decides the transaction, and --runner beats it', async () => {
    const cic = 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email)';
    const [fromConfig, fromFlag] = await Promise.all([
      analyzeWith({ runner: 'dbmate' }, '--change', cic),
      analyzeWith({ runner: 'dbmate' }, '--change', cic, '--runner', 'psql'),
    ]);
    expect(json(fromConfig).statements[0]?.transactional).toBe(true);
    expect(json(fromFlag).statements[0]?.transactional).toBe(false);
  });
});

describe('an invalid config is refused with the file and the key', () => {
  it('an unknown key, with the closest known one', async () => {
    const path = configFile({ targetVerison: 12 });
    expectUsageError(
      await runCli(['analyze', '--config', path, '--change', 'SELECT 1']),
      new RegExp(`^schemapilot: ${path}: unknown key "targetVerison" \\(did you mean "targetVersion"\\?\\)`),
    );
  });

  it('a value of the wrong type', async () => {
    const path = configFile({ largeTableRows: 'a lot' });
    expectUsageError(
      await runCli(['analyze', '--config', path, '--change', 'SELECT 1']),
      new RegExp(
        `^schemapilot: ${path}: "largeTableRows" must be a non-negative integer, got a string of 5 characters$`,
        'm',
      ),
    );
  });

  it('a secret in the wrong place is never echoed', async () => {
    const secret = 'sk-ant-api03-DoNotPrintMe';
    for (const config of [
      { largeTableRows: secret },
      { ai: { baseUrl: 5, model: { key: secret } } },
      { ai: { apiKey: secret } },
      { rules: { 'drop-column': secret } },
    ]) {
      const result = await runCli(['analyze', '--config', configFile(config), '--change', 'SELECT 1']);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toContain(secret);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a directory, or JSON nested 100,000 deep, is one line and exit 2', async () => {
    const dir = tempLayout({});
    expectUsageError(
      await runCli(['analyze', '--config', dir, '--change', 'SELECT 1']),
      /: cannot read: is a directory, not a config file$/m,
    );
    const deep = configFile(`{"ai": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expectUsageError(
      await runCli(['analyze', '--config', deep, '--change', 'SELECT 1']),
      /"ai" must be an object/,
    );
  });

  it('an unknown rule id, with the closest known one', async () => {
    const path = configFile({ rules: { 'add-column-volatile-defualt': 'off' } });
    expectUsageError(
      await runCli(['analyze', '--config', path, '--change', 'SELECT 1']),
      new RegExp(
        `^schemapilot: ${path}: "rules" names unknown rule "add-column-volatile-defualt" \\(did you mean "add-column-volatile-default"\\?\\)$`,
        'm',
      ),
    );
  });

  it('a bad severity', async () => {
    const path = configFile({ rules: { 'drop-column': 'fatal' } });
    expectUsageError(
      await runCli(['analyze', '--config', path, '--change', 'SELECT 1']),
      /"rules\.drop-column" must be one of off, error, warning, info, got "fatal"/,
    );
  });

  it('bad JSON, at its line and column', async () => {
    const text = '{\n  "rules": {\n    "drop-column": "off",\n  }\n}\n';
    const path = configFile(text);
    // The parser stops at the `}` after the trailing comma: line 4, column 3.
    expectUsageError(
      await runCli(['analyze', '--config', path, '--change', 'SELECT 1']),
      new RegExp(`^schemapilot: ${path}:4:3: not valid JSON: `),
    );
  });

  it('--config naming a missing file', async () => {
    expectUsageError(
      await runCli(['analyze', '--config', 'no/such/schemapilot.config.json', '--change', 'SELECT 1']),
      /^schemapilot: --config no\/such\/schemapilot\.config\.json: no such file$/m,
    );
  });
});

describe('config discovery', () => {
  it('uses ./schemapilot.config.json when --config is not given, and defaults without one', () => {
    const dir = tempLayout({ 'schemapilot.config.json': JSON.stringify({ largeTableRows: 5 }) });
    expect(loadConfig({ cwd: dir, knownRules: KNOWN }).config.largeTableRows).toBe(5);
    const { config, path } = loadConfig({ cwd: tempLayout({}), knownRules: KNOWN });
    expect(path).toBeNull();
    expect(config.largeTableRows).toBe(100_000);
  });
});
