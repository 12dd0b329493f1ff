/**
 * `-- schemapilot-ignore <rule>: <reason>` (next statement) and `-- schemapilot-ignore-file`
 * (whole file), through the real CLI.
 */
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';
import { json, type JsonReport } from './support.js';

// Every test here runs the real CLI (a Node process each): slow when the machine is busy.
vi.setConfig({ testTimeout: 180_000 });

const RULE = 'add-column-volatile-default';
const add = (column: string) => `ALTER TABLE users ADD COLUMN ${column} uuid DEFAULT gen_random_uuid();`;

async function analyzeSql(sql: string): Promise<JsonReport> {
  return json(await runCli(['analyze', '-', '--format', 'json'], { input: sql }));
}

const rulesOf = (report: JsonReport, index: number) =>
  report.statements[index]?.findings.map((f) => f.rule) ?? [];

describe('ignore comments', () => {
  it('the statement form silences that rule on the next statement only', async () => {
    const report = await analyzeSql(
      [`-- schemapilot-ignore ${RULE}: users holds 40 rows in every environment`, add('a'), add('b')].join(
        '\n',
      ),
    );
    expect(rulesOf(report, 0)).not.toContain(RULE);
    expect(rulesOf(report, 1)).toContain(RULE);
    // Other rules on the same statement still report.
    expect(rulesOf(report, 0)).toContain('lock-timeout-missing');
    expect(rulesOf(report, 0)).not.toContain('invalid-ignore');
  });

  it('the file form silences it in the whole file', async () => {
    const report = await analyzeSql(
      [add('a'), `-- schemapilot-ignore-file ${RULE}: table is empty until launch`, add('b'), add('c')].join(
        '\n',
      ),
    );
    for (const i of [0, 1, 2]) expect(rulesOf(report, i)).not.toContain(RULE);
  });

  it('an unknown rule id is itself reported, and silences nothing', async () => {
    const report = await analyzeSql(
      ['-- schemapilot-ignore add-column-volatile-defualt: typo', add('a')].join('\n'),
    );
    const invalid = report.statements[0]?.findings.find((f) => f.rule === 'invalid-ignore');
    expect(invalid?.message).toMatch(/unknown rule "add-column-volatile-defualt"/);
    expect(rulesOf(report, 0)).toContain(RULE);
  });

  it('an ignore without a reason still ignores, with a warning asking for one', async () => {
    const report = await analyzeSql([`-- schemapilot-ignore ${RULE}`, add('a')].join('\n'));
    expect(rulesOf(report, 0)).not.toContain(RULE);
    const invalid = report.statements[0]?.findings.find((f) => f.rule === 'invalid-ignore');
    expect(invalid?.severity).toBe('warning');
    expect(invalid?.message).toMatch(/gives no reason/);
  });
});
