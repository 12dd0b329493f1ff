/**
 * `npm run new:recipe -- <change-kind> [--root <dir>]`, e.g. `npm run new:recipe -- "set default"`
 * (or `set-default`).
 *
 * Writes src/planner/recipes/<kind>.ts (a recipe that returns null, so the statement is still
 * kept as written) and test/planner/recipe-<kind>.test.ts, registers the recipe in
 * POSTGRES_RECIPES of src/planner/actions.ts (MySQL's recipes are in recipes/mysql/) and adds a
 * case to the cases of test/planner/cases.ts (which the round trip and the deploy-and-roll-back
 * suites run with plain, hostile and 63-byte names). Both tests
 * fail until the recipe is written: their example SQL is a `TODO` the parser rejects, and the
 * unit test asserts the plan has steps of its own. When actions.ts or the round-trip test are not
 * laid out as expected, the files are still written and the lines to add are printed instead.
 * `--root` (or SCHEMAPILOT_ROOT) points at another checkout.
 *
 * Refuses, with one line on stderr and exit code 2, a kind that src/core/change.ts does not
 * define, one the planner never plans (transaction control, SET, SELECT), one that already has
 * a recipe, or a file that already exists; nothing is written then.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScaffoldError, formatAll, isMainModule, parseScaffoldArgs, runScaffold } from './scaffold-lib.js';

export { ScaffoldError };

/** Kinds the planner drops or keeps without looking (SKIPPED_KINDS and SET in plan.ts). */
const NEVER_PLANNED: Record<string, string> = {
  transaction: 'the plan sets its own transactions',
  'set timeout': 'each step sets its own timeouts',
  set: 'SET is dropped: each step sets its own session settings',
  select: 'a SELECT changes nothing',
  unknown: 'an unknown statement has nothing for a recipe to work with',
};

const PATHS = {
  change: join('src', 'core', 'change.ts'),
  plan: join('src', 'planner', 'actions.ts'),
  roundtrip: join('test', 'planner', 'cases.ts'),
};

export interface RecipeScaffold {
  /** Paths written, relative to root. */
  written: string[];
  /** What to do by hand where automatic registration was not possible. */
  manual: string[];
  /** The Change kind, as src/core/change.ts spells it. */
  kind: string;
}

/** Every Change kind, read from the Change union in src/core/change.ts. */
export function changeKinds(changeTs: string): string[] {
  // `| { kind: 'x'; …` or `| ({ kind: 'x'; … } & TableScope)`, on one line or the kind on its own.
  const kinds = [...changeTs.matchAll(/^\s*(?:\|\s*\(?\{\s*)?kind: '([a-z ]+)'(?=[;\s])/gm)].map(
    (m) => m[1] ?? '',
  );
  return [...new Set(kinds)];
}

/** `set default` → `set-default`; `set-default` → `set default` when that is a kind. */
export function fileSlug(kind: string): string {
  return kind.replace(/ /g, '-');
}

/** `set default` → `setDefaultRecipe`. */
export function recipeName(kind: string): string {
  return `${kind.replace(/ ([a-z])/g, (_m, c: string) => c.toUpperCase())}Recipe`;
}

export async function scaffoldRecipe(kindArg: string, root: string): Promise<RecipeScaffold> {
  const changePath = join(root, PATHS.change);
  const planPath = join(root, PATHS.plan);
  if (!existsSync(changePath) || !existsSync(planPath))
    throw new ScaffoldError(`${root}: no src/core/change.ts and src/planner/actions.ts here (use --root)`);
  const kinds = changeKinds(readFileSync(changePath, 'utf8'));
  const kind = kinds.find((k) => k === kindArg || fileSlug(k) === kindArg);
  if (!kind)
    throw new ScaffoldError(
      `"${kindArg}" is not a Change kind of src/core/change.ts (e.g. "set default" or set-default)`,
    );
  const never = NEVER_PLANNED[kind];
  if (never !== undefined) throw new ScaffoldError(`"${kind}" is never planned: ${never}`);
  const slug = fileSlug(kind);
  const name = recipeName(kind);
  const paths = {
    recipe: join('src', 'planner', 'recipes', `${slug}.ts`),
    test: join('test', 'planner', `recipe-${slug}.test.ts`),
  };
  const plan = readFileSync(planPath, 'utf8');
  const registry = /const POSTGRES_RECIPES: Partial<Record<ChangeKind, Recipe>> = \{\n([\s\S]*?)\n\};/.exec(
    plan,
  );
  if (registry?.[1]?.includes(`'${kind}':`))
    throw new ScaffoldError(`"${kind}" already has a recipe (POSTGRES_RECIPES in src/planner/actions.ts)`);
  const taken = Object.values(paths).find((p) => existsSync(join(root, p)));
  if (taken) throw new ScaffoldError(`${taken} already exists`);

  // Everything is computed before the first write, so a refusal leaves the checkout untouched.
  const manual: string[] = [];
  const importLine = `import { ${name} } from './recipes/${slug}.js';`;
  const entry = `  '${kind}': ${name},`;
  const registered = registry ? register(plan, importLine, entry) : null;
  if (registered === null)
    manual.push(
      `src/planner/actions.ts: add \`${importLine}\` to the imports and \`${entry.trim()}\` to POSTGRES_RECIPES`,
    );
  const roundtripPath = join(root, PATHS.roundtrip);
  const roundtripCase = `    { name: '${kind} (TODO: write its SQL)', recipe: '${kind}', sql: 'TODO: a ${kind} statement on the fixture tables, every name through i()' },`;
  const roundtrip = existsSync(roundtripPath)
    ? addRoundtripCase(readFileSync(roundtripPath, 'utf8'), roundtripCase)
    : null;
  if (roundtrip === null) manual.push(`test/planner/cases.ts: add a case for "${kind}" to the cases`);

  const files = new Map<string, string>([
    [paths.recipe, recipeTemplate(kind, name)],
    [paths.test, testTemplate(kind)],
  ]);
  if (registered !== null) files.set(PATHS.plan, registered);
  if (roundtrip !== null) files.set(PATHS.roundtrip, roundtrip);
  const formatted = await formatAll(root, files);
  for (const [path, text] of formatted) writeFileSync(join(root, path), text);
  return { written: [...formatted.keys()], manual, kind };
}

/** The import after the last recipe import (in path order), the entry at the end of POSTGRES_RECIPES. */
function register(plan: string, importLine: string, entry: string): string | null {
  const lines = plan.split('\n');
  const recipeImports = lines.flatMap((l, i) => {
    const m = /^import .* from '\.\/recipes\/([a-z0-9-]+)\.js';$/.exec(l);
    return m ? [{ line: i, path: m[1] ?? '' }] : [];
  });
  const last = recipeImports[recipeImports.length - 1];
  const open = lines.findIndex((l) =>
    l.startsWith('const POSTGRES_RECIPES: Partial<Record<ChangeKind, Recipe>> = {'),
  );
  const close = lines.findIndex((l, i) => i > open && l === '};');
  if (!last || open < 0 || close < 0) return null;
  lines.splice(close, 0, entry);
  const slug = /recipes\/([a-z0-9-]+)\.js/.exec(importLine)?.[1] ?? '';
  const after = recipeImports.find((r) => r.path > slug);
  lines.splice(after ? after.line : last.line + 1, 0, importLine);
  return lines.join('\n');
}

function addRoundtripCase(text: string, line: string): string | null {
  const lines = text.split('\n');
  const open = lines.findIndex((l) => l === '  const cases: Case[] = [');
  const close = lines.findIndex((l, i) => i > open && l === '  ];');
  if (open < 0 || close < 0) return null;
  lines.splice(close, 0, line);
  return lines.join('\n');
}

/** Prettier, with the repository's config, so the generated code passes `npm run lint` as written. */

function recipeTemplate(kind: string, name: string): string {
  return `/**
 * TODO: ${kind} without blocking traffic. Say what the statement does as written (its lock, and
 * whether it scans or rewrites the table: the facts in src/dialects/postgres/facts.ts), what the
 * steps below do instead, and why each one is safe. Cite the documentation that states each
 * fact, with the version in the URL where versions differ:
 * https://www.postgresql.org/docs/current/sql-altertable.html
 */
import { changeTable } from '../../core/change.js';
import type { RecipeContext, RecipeResult } from '../types.js';

/**
 * Returns null to keep the statement as written (the planner then derives its rollback from the
 * schema): for other kinds, for a table created earlier in the same migration (nobody uses it
 * yet), and when the facts say the statement is already safe (ctx.facts: locks, rewritesTable,
 * scansTable). Otherwise the steps, in order. Each step is one StepDraft (src/planner/types.ts):
 *
 * - phase: 'expand' (adds, old code keeps working), 'backfill', 'validate', or 'contract'
 *   (removes; the planner moves these to the end, after every service has deployed);
 * - sql: statements from ctx.sql, the dialect's safe-SQL building blocks (alterTable,
 *   constraints, notNullViaCheck, indexes, batches, triggers; ctx.sql.indexes.concurrentIndex
 *   reprints the user's own CREATE INDEX), names quoted with ctx.q, never pasted;
 * - transactional: false for statements PostgreSQL refuses in a transaction block (CONCURRENTLY);
 * - rollback: what undoes the step; reversible: false and destroysData when nothing can;
 * - preChecks/postChecks: queries that must return true (ctx.sql.checks);
 * - long: true for index builds, validations and backfills (the long statement timeout).
 *
 * The planner states each step's lock and duration itself, by analysing its SQL; version
 * differences go through ctx.major. Warnings (ctx: no schema, a name that had to be guessed)
 * go into RecipeResult.warnings.
 */
export function ${name}(ctx: RecipeContext): RecipeResult | null {
  const { change } = ctx;
  if (change.kind !== '${kind}') return null;
  const table = changeTable(change);
  if (table !== null && ctx.isNew(table)) return null;
  // TODO: return null when ctx.facts says the statement is already safe, otherwise the steps:
  // return {
  //   steps: [
  //     {
  //       phase: 'expand',
  //       description: 'What the step does and the lock it takes: traffic continues.',
  //       sql: [\`ALTER TABLE \${ctx.q.table(table)} …\`],
  //       transactional: true,
  //       rollback: [\`ALTER TABLE \${ctx.q.table(table)} …\`],
  //     },
  //   ],
  // };
  return null;
}
// The dialects the steps are written for (registry names); leave it out when they hold for
// every dialect. The planner runs the recipe for these only.
${name}.dialects = ['postgres'];
`;
}

function testTemplate(kind: string): string {
  return `/**
 * The ${kind} recipe (src/planner/recipes/${fileSlug(kind)}.ts) on the in-memory schema of
 * test/support/schema-fixture.ts. Its case in test/planner/cases.ts runs the plan and its
 * rollback on every server. These tests fail until the recipe is written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lowerStatement } from '../../src/dialects/postgres/lower.js';
import { loadPostgresParser, parsePostgres } from '../../src/dialects/postgres/parser.js';
import { planSql, selfCheck } from '../support/plan-helpers.js';
import { testSchema } from '../support/schema-fixture.js';

// TODO: a ${kind} statement on a large table of test/support/schema-fixture.ts (users, orders).
const SQL = 'TODO';

beforeAll(loadPostgresParser);

describe('${kind} recipe', () => {
  it('the example statement is a ${kind} change', () => {
    const kinds = parsePostgres(SQL, 'm.sql').statements.flatMap((s) =>
      lowerStatement(s.ast, { defaultSchema: 'public' }).map((c) => c.kind),
    );
    expect(kinds).toContain('${kind}');
  });

  it('is planned in steps of its own, not kept as written', async () => {
    const p = await planSql(SQL);
    expect(p.steps.length).toBeGreaterThan(0);
    expect(p.steps.filter((s) => s.asWritten).map((s) => s.sql)).toEqual([]);
    // TODO: the steps' phases, SQL, transactional, lock and rollback, with expected values
    // taken from the documentation and the fixture, not copied from the output.
  });

  it("passes the engine's own checks: no error-severity finding on its steps", async () => {
    const p = await planSql(SQL);
    const errors = (await selfCheck(p, testSchema(15))).filter((f) => f.severity === 'error');
    expect(errors.map((e) => \`\${e.rule}: \${e.message}\`)).toEqual([]);
  });
});
`;
}

export function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { kind: string; root: string } {
  // `npm run new:recipe -- set default` without quotes: the words are one kind.
  const { name, root } = parseScaffoldArgs(argv, env, {
    command: 'new:recipe',
    what: 'kind',
    placeholder: '<change-kind>',
    joinWords: true,
  });
  return { kind: name.trim().toLowerCase(), root };
}

if (isMainModule(import.meta.url))
  void runScaffold('new:recipe', async () => {
    const { kind: wanted, root } = parseArgs(process.argv.slice(2));
    const { written, manual, kind } = await scaffoldRecipe(wanted, root);
    return {
      root,
      written,
      manual,
      next: `fill in the TODOs, then npx vitest run test/planner/recipe-${fileSlug(kind)}.test.ts test/planner/roundtrip.test.ts test/deploy/rollback-recipes.test.ts`,
    };
  });
