/**
 * Runs a composite action (`runs.using: composite`) on this machine the way the GitHub runner
 * runs `uses: ./`: inputs with their defaults, `${{ }}` expressions, each `run:` step as a bash
 * script with the runner's environment files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, …), step
 * outputs, the action's outputs, and the job stopping at the first failing step.
 *
 * It understands only what our action.yml uses, and refuses everything else (an unknown
 * expression, `if:`, `uses:`, a shell other than bash, a write to GITHUB_ENV or GITHUB_PATH)
 * instead of guessing: a test through it then proves the action as written, and a change to
 * the action that the harness cannot follow fails loudly rather than passing untested.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionStep {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
}

export interface CompositeAction {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string; value: string }>;
  steps: ActionStep[];
}

/** The keys of a step the harness knows how to run; any other key is refused. */
const STEP_KEYS = new Set(['id', 'name', 'shell', 'run', 'env']);

/** action.yml read and checked against what the harness supports. */
export function readCompositeAction(path: string): CompositeAction {
  const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown> | null;
  if (doc === null || typeof doc !== 'object') throw new Error(`${path}: not a YAML mapping`);
  const runs = doc['runs'] as { using?: unknown; steps?: unknown } | undefined;
  if (runs?.using !== 'composite') throw new Error(`${path}: runs.using must be "composite"`);
  if (!Array.isArray(runs.steps)) throw new Error(`${path}: runs.steps must be a list`);
  const steps = runs.steps as ActionStep[];
  steps.forEach((step, index) => {
    const where = `${path}: step ${step.id ?? index + 1}`;
    for (const key of Object.keys(step)) {
      if (!STEP_KEYS.has(key)) throw new Error(`${where}: "${key}" is not supported by the harness`);
    }
    if (typeof step.run !== 'string') throw new Error(`${where}: only run: steps are supported`);
    if (step.shell !== 'bash') throw new Error(`${where}: shell must be bash (composite steps need one)`);
  });
  const inputs = (doc['inputs'] ?? {}) as Record<string, ActionInput>;
  for (const [name, input] of Object.entries(inputs)) {
    if (input.default !== undefined && typeof input.default !== 'string')
      throw new Error(`${path}: input ${name}: a default must be a string (YAML: quote it)`);
  }
  return {
    name: String(doc['name'] ?? ''),
    description: String(doc['description'] ?? ''),
    inputs,
    outputs: (doc['outputs'] ?? {}) as CompositeAction['outputs'],
    steps,
  };
}

/** What the expressions may read: the forms action.yml is allowed to use. */
export interface ExpressionContext {
  inputs: Record<string, string>;
  github: { action_path: string; token: string; event: unknown };
  steps: Record<string, { outputs: Record<string, string> }>;
}

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;
const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const INPUT = new RegExp(`^inputs\\.(${NAME})$`);
const STEP_OUTPUT = new RegExp(`^steps\\.(${NAME})\\.outputs\\.(${NAME})$`);
const EVENT = new RegExp(`^github\\.event((?:\\.${NAME})+)$`);

/**
 * Every `${{ expr }}` in `text` replaced by its value. The forms: inputs.NAME,
 * github.action_path, github.token, github.event.A.B…, steps.ID.outputs.NAME. Anything else
 * throws: the action must stay within what this harness evaluates the way GitHub does.
 */
export function evaluate(text: string, context: ExpressionContext): string {
  return text.replace(EXPRESSION, (_whole, expression: string) => valueOf(expression, context));
}

function valueOf(expression: string, context: ExpressionContext): string {
  if (expression === 'github.action_path') return context.github.action_path;
  if (expression === 'github.token') return context.github.token;
  const input = INPUT.exec(expression);
  if (input) return context.inputs[input[1] as string] ?? '';
  const output = STEP_OUTPUT.exec(expression);
  if (output) return context.steps[output[1] as string]?.outputs[output[2] as string] ?? '';
  const event = EVENT.exec(expression);
  if (event) {
    // A missing property is '' to GitHub, not an error (e.g. pull_request.base.sha on a push).
    let value: unknown = context.github.event;
    for (const key of (event[1] as string).slice(1).split('.')) {
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    return value === undefined || value === null ? '' : String(value);
  }
  throw new Error(`the harness does not evaluate \${{ ${expression} }}`);
}

/**
 * Lines of a GITHUB_OUTPUT file: `name=value`, or `name<<DELIMITER` … `DELIMITER` for
 * multi-line values (the runner's two forms).
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: ${name}<<${delimiter} is never closed`);
      outputs[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`GITHUB_OUTPUT: a line neither name=value nor name<<EOF: ${line}`);
    outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return outputs;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
}

/** `::warning::…`, `::error title=…::…` and `::notice::…` lines of a step's output. */
export function annotationsIn(output: string): Annotation[] {
  const found: Annotation[] = [];
  for (const match of output.matchAll(/^::(error|warning|notice)(?: [^:]*)?::(.*)$/gm)) {
    found.push({ level: match[1] as Annotation['level'], message: match[2] as string });
  }
  return found;
}

export interface StepRun {
  id: string;
  name: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface ActionRun {
  /** `failure` when a step exited non-zero; the later steps did not run, as on the runner. */
  outcome: 'success' | 'failure';
  outputs: Record<string, string>;
  steps: StepRun[];
  /** Everything the steps printed, stdout then stderr per step. */
  log: string;
  /** The job summary: every step's GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  annotations: Annotation[];
  /** RUNNER_TEMP of the run, for files the action wrote there. */
  runnerTemp: string;
}

export interface RunOptions {
  /** The directory holding action.yml (github.action_path). */
  actionPath: string;
  /** GITHUB_WORKSPACE, and the steps' working directory. */
  workspace: string;
  /** Given inputs (the `with:` of the step); an undeclared one is an error. */
  inputs?: Record<string, string>;
  /** github.event_name and the event payload (written to GITHUB_EVENT_PATH). */
  event: { name: string; payload: Record<string, unknown> };
  /** github.token (a runner gives every job one). */
  token: string;
  /** The `env:` of the workflow step (and job) using the action, e.g. GITHUB_API_URL. */
  env?: Record<string, string>;
  /** Where RUNNER_TEMP and the environment files go; a fresh temp dir when absent. */
  tempDir?: string;
}

/** Run the action's steps in order; resolves when the job would end. */
export async function runCompositeAction(options: RunOptions): Promise<ActionRun> {
  const action = readCompositeAction(join(options.actionPath, 'action.yml'));
  const temp = options.tempDir ?? mkdtempSync(join(tmpdir(), 'composite-action-'));
  const runnerTemp = join(temp, 'runner-temp');
  const files = join(temp, 'files');
  mkdirSync(runnerTemp, { recursive: true });
  mkdirSync(files, { recursive: true });
  const eventPath = join(files, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.event.payload));

  const context: ExpressionContext = {
    inputs: {},
    github: { action_path: options.actionPath, token: options.token, event: options.event.payload },
    steps: {},
  };
  context.inputs = resolveInputs(action, options.inputs ?? {}, context);

  const run: ActionRun = {
    outcome: 'success',
    outputs: {},
    steps: [],
    log: '',
    summary: '',
    annotations: [],
    runnerTemp,
  };
  for (const [index, step] of action.steps.entries()) {
    const id = step.id ?? `__step${index + 1}`;
    const stepFiles = {
      GITHUB_OUTPUT: join(files, `${id}.output`),
      GITHUB_STEP_SUMMARY: join(files, `${id}.summary`),
      GITHUB_ENV: join(files, `${id}.env`),
      GITHUB_PATH: join(files, `${id}.path`),
    };
    for (const file of Object.values(stepFiles)) writeFileSync(file, '');
    const env: Record<string, string> = {
      ...baseEnvironment(),
      ...options.env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.event.name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_ACTION_PATH: options.actionPath,
      RUNNER_TEMP: runnerTemp,
      ...stepFiles,
    };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(String(value), context);
    const result = await runBash(
      evaluate(step.run as string, context),
      env,
      options.workspace,
      join(files, `${id}.sh`),
    );
    const outputs = parseOutputFile(readFileSync(stepFiles.GITHUB_OUTPUT, 'utf8'));
    for (const file of [stepFiles.GITHUB_ENV, stepFiles.GITHUB_PATH]) {
      if (readFileSync(file, 'utf8') !== '') throw new Error(`step ${id} wrote ${file}: not supported`);
    }
    context.steps[id] = { outputs };
    run.steps.push({ id, name: step.name ?? id, outputs, ...result });
    run.log += result.stdout + result.stderr;
    run.summary += readFileSync(stepFiles.GITHUB_STEP_SUMMARY, 'utf8');
    run.annotations.push(...annotationsIn(result.stdout));
    if (result.exitCode !== 0) {
      run.outcome = 'failure';
      break;
    }
  }
  // The runner evaluates the outputs after the last step that ran, failed or not.
  for (const [name, output] of Object.entries(action.outputs))
    run.outputs[name] = evaluate(output.value, context);
  return run;
}

function resolveInputs(
  action: CompositeAction,
  given: Record<string, string>,
  context: ExpressionContext,
): Record<string, string> {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(action.inputs, name)) throw new Error(`input "${name}" is not declared in action.yml`);
  }
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    // A default may itself be an expression (`${{ github.token }}`); inputs never refer to inputs.
    inputs[name] = given[name] ?? evaluate(input.default ?? '', { ...context, inputs: {} });
  }
  return inputs;
}

/**
 * The process environment a hosted runner gives every step, minus what only a runner has: no
 * variables of this test process leak in (its DATABASE_URL, tokens, TEST_PG_URLS).
 */
function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** `bash --noprofile --norc -eo pipefail script`: the runner's command for `shell: bash`. */
function runBash(
  script: string,
  env: Record<string, string>,
  cwd: string,
  scriptPath: string,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  writeFileSync(scriptPath, script);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptPath], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
