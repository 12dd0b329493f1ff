/**
 * What the new:* scaffolds share: their error type, formatting generated files with the
 * repository's prettier config (so lint passes at once), and the command-line wrapper that
 * prints what was written and turns a refusal into one line on stderr and exit code 2.
 */
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

/** A refusal the user can act on (bad name, name taken, missing registry): exit code 2. */
export class ScaffoldError extends Error {}

/** Each file formatted as prettier would format it at its path in `root`. */
export async function formatAll(root: string, files: Map<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [path, text] of files) {
    const filepath = join(root, path);
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    out.set(path, await prettier.format(text, { ...options, filepath }));
  }
  return out;
}

export interface ArgsSpec {
  /** `new:format`, for the usage line. */
  command: string;
  /** `format`: "one format at a time". */
  what: string;
  /** `<name>` in the usage line. */
  placeholder: string;
  /** Several bare words make one name (`new:recipe -- set default`) instead of an error. */
  joinWords?: boolean;
}

/** `<name> [--root <dir>]` (or SCHEMAPILOT_ROOT); the root defaults to this checkout. */
export function parseScaffoldArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  spec: ArgsSpec,
): { name: string; root: string } {
  let name: string | undefined;
  let root = env['SCHEMAPILOT_ROOT'] || resolve(fileURLToPath(new URL('..', import.meta.url)));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (flag === '--root') {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ScaffoldError('--root needs a value');
      root = resolve(v);
    } else if (arg.startsWith('-')) throw new ScaffoldError(`unknown option ${arg}`);
    else if (name === undefined) name = arg;
    else if (spec.joinWords) name = `${name} ${arg}`;
    else throw new ScaffoldError(`one ${spec.what} at a time (got "${name}" and "${arg}")`);
  }
  if (name === undefined)
    throw new ScaffoldError(`usage: npm run ${spec.command} -- ${spec.placeholder} [--root <dir>]`);
  return { name, root };
}

export interface ScaffoldOutcome {
  root: string;
  written: string[];
  /** Registrations the scaffold could not make itself, as instructions. */
  manual?: string[];
  /** What to do next, one line. */
  next: string;
}

/** Runs a scaffold from the command line: `command` names it in messages (`new:format`). */
export async function runScaffold(command: string, work: () => Promise<ScaffoldOutcome>): Promise<void> {
  try {
    const { root, written, manual = [], next } = await work();
    for (const path of written) console.log(`wrote ${relative(process.cwd(), join(root, path)) || path}`);
    for (const step of manual) console.log(`register by hand: ${step}`);
    console.log(`next: ${next}`);
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    console.error(`${command}: ${error.message}`);
    process.exit(2);
  }
}

/** Whether the module at `url` is the script node was started with. */
export function isMainModule(url: string): boolean {
  return Boolean(process.argv[1]) && resolve(process.argv[1] ?? '') === fileURLToPath(url);
}
