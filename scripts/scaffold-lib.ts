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
