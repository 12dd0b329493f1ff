/**
 * The example CI files (examples/github, examples/gitlab) and the README's GitHub Action
 * section cannot rot silently: every `with:` of the Action is an input action.yml declares,
 * every output read is one it sets, and every `schemapilot …` command line names commands and
 * flags the CLI registers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/program.js';
import { evaluate, readCompositeAction, type ExpressionContext } from '../support/composite-action.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const action = readCompositeAction(join(root, 'action.yml'));
/** How the examples and README refer to this repository's Action. */
const ACTION_USES = /^schemapilot\/schemapilot@v\d+$/;

interface WorkflowStep {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
}
interface Workflow {
  jobs: Record<string, { steps?: WorkflowStep[] }>;
}

const githubExamples = readdirSync(join(root, 'examples', 'github')).map((f) =>
  join('examples', 'github', f),
);

/** The text of each ```yaml block in the README's "GitHub Action" section. */
function readmeWorkflows(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n### The GitHub Action\n');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** Every `schemapilot …` command line in a shell script, as words (continuations joined). */
function commandLines(script: string): string[][] {
  const lines = script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, ''));
  const found: string[][] = [];
  for (const line of lines) {
    for (const match of line.matchAll(/(?:^|[\s;&|(])schemapilot(?=\s)/g)) {
      const words: string[] = [];
      for (const word of line.slice((match.index ?? 0) + match[0].length).matchAll(/"[^"]*"|'[^']*'|\S+/g)) {
        const w = word[0];
        if (/^(\|\|?|&&|;|2?>.*|\))$/.test(w)) break;
        // The end of a `$(…)` substitution ends the command line too.
        const closes = w.endsWith(')') && !w.includes('(');
        words.push((closes ? w.slice(0, -1) : w).replace(/^"(.*)"$|^'(.*)'$/, '$1$2'));
        if (closes) break;
      }
      found.push(words);
    }
  }
  return found;
}

/** What is wrong with a command line, by the program's registered commands and options. */
function problemsOf(program: Command, words: readonly string[]): string[] {
  let command = program;
  let i = 0;
  for (; i < words.length; i++) {
    const sub = command.commands.find((c) => c.name() === words[i]);
    if (!sub) break;
    command = sub;
  }
  if (command === program) return [`no command: schemapilot ${words.join(' ')}`];
  const known = new Set(command.options.flatMap((o) => [o.long, o.short]).filter(Boolean));
  known.add('--help');
  known.add('-h');
  return words
    .slice(i)
    .filter((w) => w.startsWith('-') && w !== '-')
    .map((w) => w.split('=')[0] as string)
    .filter((flag) => !known.has(flag))
    .map((flag) => `schemapilot ${words.slice(0, i).join(' ')}: no ${flag}`);
}

function stepsOf(text: string): WorkflowStep[] {
  const doc = parse(text) as Workflow | WorkflowStep[];
  if (Array.isArray(doc)) return doc;
  return Object.values(doc.jobs).flatMap((job) => job.steps ?? []);
}

describe('the GitHub examples and the README section', () => {
  const sources: [string, string][] = [
    ...githubExamples.map((path): [string, string] => [path, readFileSync(join(root, path), 'utf8')]),
    ...readmeWorkflows().map((text, i): [string, string] => [`README.md yaml block ${i + 1}`, text]),
  ];

  it('are there: both workflows, and a workflow in the README', () => {
    expect(githubExamples.sort()).toEqual([
      'examples/github/schemapilot-matrix.yml',
      'examples/github/schemapilot.yml',
    ]);
    expect(readmeWorkflows().length).toBeGreaterThan(0);
  });

  it('give the Action only inputs it declares, and read only outputs it sets', () => {
    let uses = 0;
    for (const [where, text] of sources) {
      const steps = stepsOf(text);
      for (const step of steps.filter((s) => ACTION_USES.test(s.uses ?? ''))) {
        uses++;
        for (const input of Object.keys(step.with ?? {}))
          expect(Object.keys(action.inputs), `${where}: with.${input}`).toContain(input);
        if (step.id === undefined) continue;
        for (const m of text.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([A-Za-z0-9_-]+)`, 'g')))
          expect(Object.keys(action.outputs), `${where}: ${m[0]}`).toContain(m[1]);
      }
    }
    // The fleet workflow and the README's use the Action.
    expect(uses).toBeGreaterThanOrEqual(2);
  });

  it('run only commands and flags the CLI has', async () => {
    const program = await buildProgram();
    const lines = sources.flatMap(([where, text]) =>
      stepsOf(text).flatMap((s) => commandLines(s.run ?? '').map((words) => ({ where, words }))),
    );
    // The matrix workflow alone runs fleet list, fleet check, fleet report and comment.
    expect(lines.map((l) => l.words.slice(0, 2).join(' '))).toEqual(
      expect.arrayContaining(['fleet list', 'fleet check', 'fleet report', 'comment report.md']),
    );
    for (const { where, words } of lines) expect(problemsOf(program, words), where).toEqual([]);
  });
});

describe('the GitLab example', () => {
  const text = readFileSync(join(root, 'examples', 'gitlab', '.gitlab-ci.yml'), 'utf8');
  const job = (parse(text) as Record<string, { script: string[] }>)['schemapilot'];

  it('posts one merge request note through comment --gitlab, with commands and flags the CLI has', async () => {
    const program = await buildProgram();
    const lines = (job?.script ?? []).flatMap(commandLines);
    expect(lines).toContainEqual(['comment', 'report.md', '--gitlab']);
    for (const words of lines) expect(problemsOf(program, words), words.join(' ')).toEqual([]);
  });
});

describe('commandLines', () => {
  it('finds the command lines of a script, and not the npm package or comments', () => {
    expect(
      commandLines(
        'npm install --global schemapilot@0.1\n# schemapilot comment x\n' +
          'schemapilot fleet check --only "$S" \\\n  --format json -o "r/$S.json" || [ $? -eq 1 ]\n' +
          'x=$(schemapilot fleet list --format json)',
      ),
    ).toEqual([
      ['fleet', 'check', '--only', '$S', '--format', 'json', '-o', 'r/$S.json'],
      ['fleet', 'list', '--format', 'json'],
    ]);
  });

  it('a command line with an unknown flag or command is a problem', async () => {
    const program = await buildProgram();
    expect(problemsOf(program, ['fleet', 'check', '--sinse', 'x'])).toEqual([
      'schemapilot fleet check: no --sinse',
    ]);
    expect(problemsOf(program, ['flet', 'check'])).toEqual(['no command: schemapilot flet check']);
    expect(problemsOf(program, ['check', 'm/', '--format', 'json', '-o', 'x'])).toEqual([]);
  });
});

describe('action.yml', () => {
  it('keeps every ${{ }} in env blocks and outputs, never in a script', () => {
    for (const step of action.steps) expect(step.run ?? '', step.id).not.toContain('${{');
  });

  it('uses only expressions the harness evaluates (so the end-to-end test covers them all)', () => {
    const context: ExpressionContext = {
      inputs: {},
      github: { action_path: '/a', token: 't', event: {} },
      steps: {},
    };
    const texts = [
      ...Object.values(action.inputs).map((i) => i.default ?? ''),
      ...Object.values(action.outputs).map((o) => o.value),
      ...action.steps.flatMap((s) => Object.values(s.env ?? {})),
    ];
    expect(texts.filter((t) => t.includes('${{')).length).toBeGreaterThan(10);
    for (const text of texts) expect(() => evaluate(text, context), text).not.toThrow();
  });

  it('is documented: every input and output is in the README table', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)])
      expect(readme, name).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });
});
