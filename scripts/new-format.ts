/**
 * `npm run new:format -- <name> [--root <dir>]`: a plan writer for one more migration tool
 * (`schemapilot plan --format <name>`).
 *
 * Writes src/formats/write/<name>.ts (a writer that throws "not implemented") and
 * test/formats/write/<name>.test.ts, and registers the writer at the end of PLAN_WRITERS in
 * src/formats/write/index.ts, which puts it in `plan --format` and in the suites that check
 * every writer (test/formats/write/structure.test.ts, snapshots.test.ts). Those and the new test fail
 * until the writer writes every statement of the plan. When index.ts is not laid out as
 * expected, the files are still written and the lines to add are printed instead. `--root` (or
 * SCHEMAPILOT_ROOT) points at another checkout.
 *
 * Refuses, with one line on stderr and exit code 2, a name that is not kebab-case, one that
 * `plan --format` already has (text, json, or a writer's format), or a file that exists;
 * nothing is written then.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScaffoldError, formatAll, isMainModule, parseScaffoldArgs, runScaffold } from './scaffold-lib.js';

export { ScaffoldError };

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Formats of `plan --format` that are not writers, and modules of the folder that are not writers. */
const TAKEN = new Set(['text', 'json', 'common', 'index']);
const DIR = join('src', 'formats', 'write');
const INDEX = join(DIR, 'index.ts');

/** `golang-migrate` → `golangMigrateWriter`. */
export function writerName(name: string): string {
  return `${name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())}Writer`;
}

export interface FormatScaffold {
  written: string[];
  manual: string[];
}

export async function scaffoldFormat(name: string, root: string): Promise<FormatScaffold> {
  if (!KEBAB.test(name)) throw new ScaffoldError(`"${name}" is not a kebab-case format name (e.g. atlas)`);
  const indexPath = join(root, INDEX);
  if (!existsSync(indexPath)) throw new ScaffoldError(`${indexPath}: no writer registry here (use --root)`);
  if (TAKEN.has(name)) throw new ScaffoldError(`"${name}" is taken: plan --format already has it`);
  const formats = readdirSync(join(root, DIR))
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(root, DIR, f), 'utf8').matchAll(/^\s+format: '([^']+)',$/gm)])
    .map((m) => m[1]);
  if (formats.includes(name)) throw new ScaffoldError(`format "${name}" already exists`);
  const paths = {
    writer: join(DIR, `${name}.ts`),
    test: join('test', 'formats', 'write', `${name}.test.ts`),
  };
  const taken = Object.values(paths).find((p) => existsSync(join(root, p)));
  if (taken) throw new ScaffoldError(`${taken} already exists`);

  const constName = writerName(name);
  // The writer's name must not clash with a name the registry already declares (planWriter).
  if (new RegExp(`\\b${constName}\\b`).test(readFileSync(indexPath, 'utf8')))
    throw new ScaffoldError(
      `"${name}" would name its writer ${constName}, which src/formats/write/index.ts already uses`,
    );
  const importLine = `import { ${constName} } from './${name}.js';`;
  const registered = register(readFileSync(indexPath, 'utf8'), name, importLine, constName);
  const manual =
    registered === null
      ? [`src/formats/write/index.ts: add \`${importLine}\` and \`${constName}\` at the end of PLAN_WRITERS`]
      : [];
  const files = new Map<string, string>([
    [paths.writer, writerTemplate(name, constName)],
    [paths.test, testTemplate(name)],
  ]);
  if (registered !== null) files.set(INDEX, registered);
  const formatted = await formatAll(root, files);
  for (const [path, text] of formatted) writeFileSync(join(root, path), text);
  return { written: [...formatted.keys()], manual };
}

/** The import at its place among the writer imports (path order), the writer last in PLAN_WRITERS. */
function register(index: string, name: string, importLine: string, constName: string): string | null {
  const lines = index.split('\n');
  const imports = lines.flatMap((l, i) => {
    const m = /^import (?:type )?\{[^}]*\} from '\.\/([a-z0-9-]+)\.js';$/.exec(l);
    return m ? [{ line: i, path: m[1] ?? '' }] : [];
  });
  const last = imports[imports.length - 1];
  const open = lines.findIndex((l) => l.startsWith('export const PLAN_WRITERS: readonly PlanWriter[] = ['));
  const close = lines.findIndex((l, i) => i > open && l === '];');
  if (!last || open < 0 || close < 0) return null;
  lines.splice(close, 0, `  ${constName},`);
  const after = imports.find((i) => i.path > name);
  lines.splice(after ? after.line : last.line + 1, 0, importLine);
  return lines.join('\n');
}

function writerTemplate(name: string, constName: string): string {
  return `/**
 * TODO: ${name}: the files the tool reads (names, order, where the rollback goes) and how it runs
 * them: one transaction per file, per statement, or none; how a file opts out of the
 * transaction; whether it splits a file into statements itself. Link the tool's documentation
 * for each of these: https://…
 */
import { SchemapilotError } from '../../core/errors.js';
import type { PlanWriter } from './common.js';

export const ${constName}: PlanWriter = {
  format: '${name}',
  description: 'TODO: one line for \`plan --format\` help: the files and how ${name} runs them',
  write(_plan, _options, _steps) {
    // TODO: return the files, paths relative to the output directory. Every statement of every
    // step and of its rollback must reach the server unchanged, with the step's timeouts:
    // steps.text(step) gives them as the dialect's step runner sends them (inside the step's
    // transaction when step.transactional; otherwise around a statement that must run outside
    // one, which the tool must not wrap in a transaction), steps.outsideTransaction(rollback)
    // says whether a rollback must. Helpers in ./common.ts: stepHeader, statements,
    // rollbackNote, explicitTransaction, stepVersion, stepName, slug.
    // A layout the tool would run in a transaction by force is refused with a SchemapilotError.
    throw new SchemapilotError('plan --format ${name} is not implemented yet (src/formats/write/${name}.ts)');
  },
};
`;
}

function testTemplate(name: string): string {
  return `/**
 * The ${name} writer (src/formats/write/${name}.ts). It is also in PLAN_WRITERS, so
 * test/formats/write/structure.test.ts parses what it writes and test/formats/write/snapshots.test.ts keeps
 * its files under __snapshots__/${name}/ (review them and commit them). These tests fail until
 * the writer is written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/core/plan.js';
import { loadPostgresParser } from '../../../src/dialects/postgres/parser.js';
import { planSql } from '../../support/plan-helpers.js';
import { SNAPSHOT_SQL } from './support/cases.js';
import { writePlan } from './support/files.js';

let plan: Plan;
beforeAll(async () => {
  await loadPostgresParser();
  plan = await planSql(SNAPSHOT_SQL);
});

describe('${name} writer', () => {
  it('writes every statement of the plan and of its rollback', () => {
    const written = writePlan('${name}', plan)
      .map((f) => f.content)
      .join('\\n');
    // TODO: when the files are not SQL (code in another language), extract the statements
    // with the language's own parser, as test/formats/write/support/extract.ts does.
    for (const sql of plan.steps.flatMap((s) => [...s.sql, ...s.rollback])) expect(written).toContain(sql);
  });

  // Assert where each step with transactional: false lands (its opt-out marker, a file of its
  // own, …) and that the tool does not wrap it in a transaction, from the tool's documentation.
  it.todo('places each step that cannot run in a transaction where ${name} does not wrap it in one');

  // Run by the real tool when it is an npm package (a Runner in support/tools.ts, listed in
  // tools.test.ts), or as the tool runs files (support/simulate.ts and simulated.test.ts).
  it.todo('${name} applies the files to a real server: the intended schema, then the original after rollback');
});
`;
}

export function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { name: string; root: string } {
  return parseScaffoldArgs(argv, env, { command: 'new:format', what: 'format', placeholder: '<name>' });
}

if (isMainModule(import.meta.url))
  void runScaffold('new:format', async () => {
    const { name, root } = parseArgs(process.argv.slice(2));
    const { written, manual } = await scaffoldFormat(name, root);
    return { root, written, manual, next: 'fill in the TODOs, then npx vitest run test/formats/write' };
  });
