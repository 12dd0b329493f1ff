/**
 * The harness that runs action.yml (test/support/composite-action.ts), on small actions of its
 * own: what it evaluates, what it refuses, and that it runs steps the way the runner does.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  annotationsIn,
  evaluate,
  parseOutputFile,
  readCompositeAction,
  runCompositeAction,
  type ExpressionContext,
} from '../support/composite-action.js';

const temp = mkdtempSync(join(tmpdir(), 'composite-action-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let count = 0;
/** A directory holding `action.yml` with this text. */
function action(yaml: string): string {
  const dir = join(temp, `action-${++count}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'action.yml'), yaml);
  return dir;
}

const context: ExpressionContext = {
  inputs: { 'fail-on': 'warning', empty: '' },
  github: {
    action_path: '/actions/schemapilot',
    token: 'ghs_token',
    event: { pull_request: { number: 7, base: { sha: 'abc123' } } },
  },
  steps: { check: { outputs: { safe: 'false' } } },
};

describe('evaluate', () => {
  it('replaces each supported form, with spaces inside the braces or not', () => {
    expect(
      evaluate(
        '${{ inputs.fail-on }}|${{github.action_path}}|${{ github.token }}|' +
          '${{ github.event.pull_request.base.sha }}|${{ steps.check.outputs.safe }}',
        context,
      ),
    ).toBe('warning|/actions/schemapilot|ghs_token|abc123|false');
  });

  it('gives "" for what GitHub gives "" (an input, output or event property that is not there)', () => {
    expect(evaluate('[${{ inputs.nope }}]', context)).toBe('[]');
    expect(evaluate('[${{ steps.nope.outputs.x }}]', context)).toBe('[]');
    expect(evaluate('[${{ github.event.pull_request.head.sha }}]', context)).toBe('[]');
    expect(evaluate('[${{ github.event.pull_request.number }}]', context)).toBe('[7]');
  });

  it('refuses any other expression instead of guessing its value', () => {
    for (const expression of [
      "${{ inputs.x == 'true' }}",
      '${{ github.event_name }}',
      '${{ secrets.TOKEN }}',
      '${{ env.HOME }}',
      "${{ format('{0}', inputs.x) }}",
    ]) {
      expect(() => evaluate(expression, context), expression).toThrow(/does not evaluate/);
    }
  });
});

describe('parseOutputFile', () => {
  it('reads name=value lines and name<<DELIMITER blocks', () => {
    expect(parseOutputFile('safe=true\nreport=/tmp/a=b.md\nbody<<EOF\nline 1\nline 2\nEOF\n')).toEqual({
      safe: 'true',
      report: '/tmp/a=b.md',
      body: 'line 1\nline 2',
    });
  });

  it('refuses an unclosed block and a line of neither form', () => {
    expect(() => parseOutputFile('body<<EOF\nline\n')).toThrow(/never closed/);
    expect(() => parseOutputFile('just words\n')).toThrow(/neither/);
  });
});

describe('annotationsIn', () => {
  it('finds error, warning and notice commands, with or without properties', () => {
    expect(annotationsIn('x\n::warning::careful\n::error title=schemapilot::broken\n::group::g\n')).toEqual([
      { level: 'warning', message: 'careful' },
      { level: 'error', message: 'broken' },
    ]);
  });
});

describe('readCompositeAction', () => {
  const steps = (step: string) =>
    action(`name: t\ndescription: t\nruns:\n  using: composite\n  steps:\n${step}`);

  it('refuses what it cannot run the way the runner does', () => {
    const cases: [string, RegExp][] = [
      ['    - uses: actions/checkout@v4\n', /"uses" is not supported/],
      ['    - run: echo\n      shell: bash\n      if: always()\n', /"if" is not supported/],
      ['    - run: echo\n      shell: bash\n      continue-on-error: true\n', /"continue-on-error"/],
      ['    - run: echo\n      shell: sh\n', /shell must be bash/],
      ['    - run: echo\n', /shell must be bash/],
    ];
    for (const [step, error] of cases) {
      expect(() => readCompositeAction(join(steps(step), 'action.yml')), step).toThrow(error);
    }
    const node = action('name: t\ndescription: t\nruns:\n  using: node20\n  main: index.js\n');
    expect(() => readCompositeAction(join(node, 'action.yml'))).toThrow(/composite/);
  });
});

describe('runCompositeAction', () => {
  const workspace = join(temp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const event = { name: 'pull_request', payload: { pull_request: { number: 3, base: { sha: 'base1' } } } };

  const twoSteps = action(`
name: t
description: t
inputs:
  greeting:
    description: d
    default: hello
  token:
    description: d
    default: '\${{ github.token }}'
  since:
    description: d
    default: '\${{ github.event.pull_request.base.sha }}'
outputs:
  said:
    description: d
    value: \${{ steps.first.outputs.said }}
  lines:
    description: d
    value: \${{ steps.second.outputs.lines }}
runs:
  using: composite
  steps:
    - id: first
      shell: bash
      env:
        GREETING: \${{ inputs.greeting }}
        TOKEN: \${{ inputs.token }}
        SINCE: \${{ inputs.since }}
      run: |
        echo "said=$GREETING $SINCE" >> "$GITHUB_OUTPUT"
        echo "token length \${#TOKEN}"
        echo "## first" >> "$GITHUB_STEP_SUMMARY"
        echo "::warning::from first"
    - id: second
      shell: bash
      env:
        SAID: \${{ steps.first.outputs.said }}
      run: |
        pwd
        printf 'lines<<END\\n%s\\n%s\\nEND\\n' "$SAID" "$(node -p "require(process.env.GITHUB_EVENT_PATH).pull_request.number")" >> "$GITHUB_OUTPUT"
        echo "## second" >> "$GITHUB_STEP_SUMMARY"
        echo "leaked=[\${LEAK_PROBE:-}] given=[\${GIVEN:-}] ci=[$CI] temp=[$RUNNER_TEMP]"
`);

  it('runs the steps in order with inputs, defaults, the event, step outputs and the summary', async () => {
    process.env['LEAK_PROBE'] = 'from the test process';
    try {
      const run = await runCompositeAction({
        actionPath: twoSteps,
        workspace,
        inputs: { greeting: 'hi' },
        event,
        token: 'ghs_abc',
        env: { GIVEN: 'by the workflow' },
      });
      expect(run.outcome).toBe('success');
      expect(run.outputs).toEqual({ said: 'hi base1', lines: 'hi base1\n3' });
      expect(run.summary).toBe('## first\n## second\n');
      expect(run.annotations).toEqual([{ level: 'warning', message: 'from first' }]);
      expect(run.log).toContain('token length 7');
      expect(run.steps.map((s) => s.id)).toEqual(['first', 'second']);
      const second = run.steps[1]?.stdout ?? '';
      expect(second.split('\n')[0]).toBe(workspace);
      // Only the workflow's env reaches the steps, not this process's variables.
      expect(second).toContain(`leaked=[] given=[by the workflow] ci=[true] temp=[${run.runnerTemp}]`);
    } finally {
      delete process.env['LEAK_PROBE'];
    }
  });

  it('refuses an input the action does not declare', async () => {
    await expect(
      runCompositeAction({ actionPath: twoSteps, workspace, inputs: { greting: 'x' }, event, token: 't' }),
    ).rejects.toThrow(/"greting" is not declared/);
  });

  it('stops at the first failing step and still evaluates the outputs, as the runner does', async () => {
    const failing = action(`
name: t
description: t
outputs:
  early:
    description: d
    value: \${{ steps.one.outputs.early }}
  late:
    description: d
    value: \${{ steps.three.outputs.late }}
runs:
  using: composite
  steps:
    - id: one
      shell: bash
      run: echo "early=yes" >> "$GITHUB_OUTPUT"
    - id: two
      shell: bash
      run: |
        false
        echo "not reached: bash runs with -e"
    - id: three
      shell: bash
      run: echo "late=yes" >> "$GITHUB_OUTPUT"
`);
    const run = await runCompositeAction({ actionPath: failing, workspace, event, token: 't' });
    expect(run.outcome).toBe('failure');
    expect(run.steps.map((s) => [s.id, s.exitCode])).toEqual([
      ['one', 0],
      ['two', 1],
    ]);
    expect(run.log).not.toContain('not reached');
    expect(run.outputs).toEqual({ early: 'yes', late: '' });
  });

  it('runs bash with pipefail, as `shell: bash` does', async () => {
    const pipe = action(
      'name: t\ndescription: t\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: false | true\n',
    );
    const run = await runCompositeAction({ actionPath: pipe, workspace, event, token: 't' });
    expect(run.outcome).toBe('failure');
  });

  it('refuses a step that writes GITHUB_ENV, which it does not apply', async () => {
    const env = action(
      'name: t\ndescription: t\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo "A=1" >> "$GITHUB_ENV"\n',
    );
    await expect(runCompositeAction({ actionPath: env, workspace, event, token: 't' })).rejects.toThrow(
      /GITHUB_ENV|\.env: not supported/,
    );
  });

  it('keeps the event payload where GITHUB_EVENT_PATH says', async () => {
    const show = action(
      'name: t\ndescription: t\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: cat "$GITHUB_EVENT_PATH"\n',
    );
    const run = await runCompositeAction({ actionPath: show, workspace, event, token: 't' });
    expect(JSON.parse(run.steps[0]?.stdout ?? '')).toEqual(event.payload);
  });
});
