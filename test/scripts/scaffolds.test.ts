/**
 * `npm run new:recipe`, `new:format`, `new:reporter` and `new:dialect` in a temporary copy of the
 * checkout (src, test, scripts, bench and the compiler and prettier settings; node_modules is a
 * symlink to the repository's), never in the checkout itself. Each writes its files and
 * registers them; all four together still type-check under the project's tsconfig.json and are
 * formatted as `prettier --check` wants. A bad name, or one that is taken, is refused with one
 * line on stderr and exit code 2, and nothing in the copy changes.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import * as prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
/** What the copy needs to type-check as the repository does (tsconfig.json includes src, test, bench). */
const COPIED = [
  'src',
  'test',
  'scripts',
  'bench',
  'package.json',
  'tsconfig.json',
  'vitest.config.ts',
  '.prettierrc.json',
  '.prettierignore',
  '.editorconfig',
];
let root = '';

type Script = 'new-recipe' | 'new-format' | 'new-reporter' | 'new-dialect';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: REPO, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Runs scripts/<script>.ts of the checkout on the copy, with --root (or SCHEMAPILOT_ROOT). */
function scaffold(script: Script, args: string[], via: 'flag' | 'env' = 'flag'): Promise<Run> {
  const path = join(REPO, 'scripts', `${script}.ts`);
  if (via === 'flag') return exec(process.execPath, ['--import', 'tsx', path, ...args, '--root', root]);
  return exec(process.execPath, ['--import', 'tsx', path, ...args], {
    ...process.env,
    SCHEMAPILOT_ROOT: root,
  });
}

const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Every file of the copy (node_modules aside), path → hash of its content. */
function tree(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name === 'node_modules' && dir === root) continue;
      if (entry.isDirectory()) walk(path);
      else out[relative(root, path)] = createHash('sha1').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}

/** Exit code 2, nothing on stdout, one line on stderr naming the script, and no file changed. */
async function expectRefusal(script: Script, args: string[], message: RegExp): Promise<void> {
  const before = tree();
  const run = await scaffold(script, args);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(new RegExp(`^${script.replace('-', ':')}: [^\\n]+\\n$`));
  expect(run.stderr).toMatch(message);
  expect(tree()).toEqual(before);
}

/** The lines between `open` and the next line that is `close`. */
function block(text: string, open: string, close: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(open));
  const end = lines.findIndex((l, i) => i > start && l === close);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end);
}

/** The `from './…'` paths of the file's relative imports, in order. */
function localImports(text: string): string[] {
  return [...text.matchAll(/^import .* from '(\.\/[^']+)';$/gm)].map((m) => m[1] ?? '');
}

/** Files each successful scaffold below writes or changes. */
const GENERATED = {
  recipe: [
    'src/planner/recipes/set-default.ts',
    'test/planner/recipe-set-default.test.ts',
    'src/planner/plan.ts',
    'test/planner/cases.ts',
  ],
  format: ['src/formats/write/atlas.ts', 'test/formats/write/atlas.test.ts', 'src/formats/write/index.ts'],
  reporter: ['src/reporters/junit-xml.ts', 'test/reporters/junit-xml.test.ts', 'src/reporters/index.ts'],
  dialect: [
    ...['not-implemented', 'index', 'parser', 'lower', 'facts', 'quote', 'version'].map(
      (f) => `src/dialects/sqlite/${f}.ts`,
    ),
    'test/dialects/sqlite.test.ts',
    'src/dialects/index.ts',
  ],
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'schemapilot-scaffolds-'));
  try {
    for (const entry of COPIED) {
      if (!existsSync(join(REPO, entry))) continue;
      cpSync(join(REPO, entry), join(root, entry), {
        recursive: true,
        filter: (src) => !src.startsWith(join(REPO, 'bench', 'out')),
      });
    }
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
    withoutSqlite();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    root = '';
    throw error;
  }
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/**
 * Every DialectName has its folder now (SQLite was the last, issue 16): the copy is taken back
 * to before SQLite was begun, so `new:dialect sqlite` shows the scaffold on a real name.
 */
function withoutSqlite(): void {
  for (const path of [
    'src/dialects/sqlite',
    'test/dialects/sqlite',
    'test/dialects/sqlite.test.ts',
    // Tests that reach into the SQLite dialect's folder or its test support.
    'test/rules/sqlite',
    'test/support/sqlite-rule-tester.ts',
  ])
    rmSync(join(root, path), { recursive: true, force: true });
  const registry = join(root, 'src/dialects/index.ts');
  writeFileSync(
    registry,
    readFileSync(registry, 'utf8')
      .replace("import { sqliteDialect } from './sqlite/index.js';\n", '')
      .replace('[postgresDialect, mysqlDialect, sqliteDialect]', '[postgresDialect, mysqlDialect]'),
  );
}

describe('npm run new:recipe', () => {
  it('writes the recipe and its test, and registers it in POSTGRES_RECIPES and the round trip', async () => {
    const planBefore = read('src/planner/actions.ts');
    // `npm run new:recipe -- set default`, unquoted: the two words are one kind.
    const run = await scaffold('new-recipe', ['set', 'default']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/wrote .*src\/planner\/recipes\/set-default\.ts/);
    expect(run.stdout).not.toContain('register by hand');

    const recipe = read('src/planner/recipes/set-default.ts');
    expect(recipe).toContain('export function setDefaultRecipe(ctx: RecipeContext): RecipeResult | null {');
    expect(recipe).toContain("if (change.kind !== 'set default') return null;");
    const test = read('test/planner/recipe-set-default.test.ts');
    expect(test).toContain("describe('set default recipe', () => {");
    expect(test).toContain("expect(kinds).toContain('set default');");

    const plan = read('src/planner/actions.ts');
    const imports = localImports(plan);
    expect(imports).toContain('./recipes/set-default.js');
    const recipeImports = imports.filter((p) => p.startsWith('./recipes/'));
    expect([...recipeImports].sort()).toEqual(recipeImports);
    expect(plan).toContain("import { setDefaultRecipe } from './recipes/set-default.js';");
    const entries = block(plan, 'const POSTGRES_RECIPES: Partial<Record<ChangeKind, Recipe>> = {', '};');
    expect(entries.at(-1)).toBe("  'set default': setDefaultRecipe,");
    // Nothing else in actions.ts moved: only the import and the entry were added.
    const added = plan.split('\n').filter((l) => !planBefore.split('\n').includes(l));
    expect(added).toEqual([
      "import { setDefaultRecipe } from './recipes/set-default.js';",
      "  'set default': setDefaultRecipe,",
    ]);

    const cases = block(read('test/planner/cases.ts'), '  const cases: Case[] = [', '  ];');
    expect(cases.join('\n')).toContain("name: 'set default (TODO: write its SQL)'");
    expect(cases.join('\n')).toContain("recipe: 'set default'");

    // The kind now has a recipe: a second run is refused.
    await expectRefusal('new-recipe', ['set-default'], /"set default" already has a recipe/);
  });

  it.each([
    ['Bad Name!', /is not a Change kind of src\/core\/change\.ts/],
    [
      'add column',
      /^new:recipe: "add column" already has a recipe \(POSTGRES_RECIPES in src\/planner\/actions\.ts\)\n$/,
    ],
    ['drop-table', /"drop table" already has a recipe/],
    ['transaction', /"transaction" is never planned/],
  ])('refuses %s, writing nothing', async (kind, message) => {
    await expectRefusal('new-recipe', [kind], message);
  });
});

describe('npm run new:format', () => {
  it('writes the writer and its test, and registers it last in PLAN_WRITERS (root from SCHEMAPILOT_ROOT)', async () => {
    const run = await scaffold('new-format', ['atlas'], 'env');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/wrote .*src\/formats\/write\/atlas\.ts/);
    expect(run.stdout).not.toContain('register by hand');

    const writer = read('src/formats/write/atlas.ts');
    expect(writer).toContain('export const atlasWriter: PlanWriter = {');
    expect(writer).toContain("format: 'atlas',");
    expect(read('test/formats/write/atlas.test.ts')).toContain("describe('atlas writer', () => {");

    const index = read('src/formats/write/index.ts');
    expect(index).toContain("import { atlasWriter } from './atlas.js';");
    const imports = localImports(index);
    expect(imports).toContain('./atlas.js');
    expect([...imports].sort()).toEqual(imports);
    const writers = block(index, 'export const PLAN_WRITERS: readonly PlanWriter[] = [', '];');
    expect(writers.at(-1)).toBe('  atlasWriter,');
    expect(writers.filter((l) => l.includes('atlasWriter'))).toHaveLength(1);

    await expectRefusal('new-format', ['atlas'], /^new:format: format "atlas" already exists\n$/);
  });

  it.each([
    ['Bad Name!', /"Bad Name!" is not a kebab-case format name/],
    ['sql', /^new:format: format "sql" already exists\n$/],
    ['json', /"json" is taken: plan --format already has it/],
    ['common', /"common" is taken/],
    ['plan', /would name its writer planWriter, which src\/formats\/write\/index\.ts already uses/],
  ])('refuses %s, writing nothing', async (name, message) => {
    await expectRefusal('new-format', [name], message);
  });
});

describe('npm run new:reporter', () => {
  it('writes the renderer and its test, and registers it in REPORT_FORMATS and renderReport', async () => {
    const run = await scaffold('new-reporter', ['junit-xml']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/wrote .*src\/reporters\/junit-xml\.ts/);
    expect(run.stdout).not.toContain('register by hand');

    expect(read('src/reporters/junit-xml.ts')).toContain(
      'export function renderJunitXml(_result: AnalysisResult): string {',
    );
    const test = read('test/reporters/junit-xml.test.ts');
    expect(test).toContain("describe('junit-xml report', () => {");
    expect(test).toContain("renderReport(result, 'junit-xml',");

    const index = read('src/reporters/index.ts');
    expect(index).toContain("import { renderJunitXml } from './junit-xml.js';");
    const imports = localImports(index);
    expect([...imports].sort()).toEqual(imports);
    const formats = /export const REPORT_FORMATS = \[([^\]]*)\] as const;/.exec(index)?.[1] ?? '';
    expect(formats.split(',').map((f) => f.trim())).toEqual([
      "'text'",
      "'json'",
      "'markdown'",
      "'sarif'",
      "'github'",
      "'junit-xml'",
    ]);
    const cases = block(index, '  switch (format) {', '  }');
    expect(cases.slice(-2)).toEqual(["    case 'junit-xml':", '      return renderJunitXml(result);']);

    await expectRefusal('new-reporter', ['junit-xml'], /report format "junit-xml" already exists/);
  });

  it.each([
    ['Bad Name!', /"Bad Name!" is not a kebab-case format name/],
    ['text', /^new:reporter: report format "text" already exists\n$/],
    ['sarif', /report format "sarif" already exists/],
    ['links', /src\/reporters\/links\.ts already exists/],
    ['report', /would name its renderer renderReport, which src\/reporters\/index\.ts already uses/],
  ])('refuses %s, writing nothing', async (name, message) => {
    await expectRefusal('new-reporter', [name], message);
  });
});

describe('npm run new:dialect', () => {
  it('writes the language half of the dialect and a suite of todos, and registers it', async () => {
    const snapshotBefore = read('src/core/snapshot.ts');
    const registryBefore = read('src/dialects/index.ts');
    const run = await scaffold('new-dialect', ['sqlite']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const path of GENERATED.dialect) {
      expect(existsSync(join(root, path)), path).toBe(true);
      expect(run.stdout).toContain(path);
    }
    // mysql exists (issue 14); sqlite was taken out of the copy (withoutSqlite).
    expect(readdirSync(join(root, 'src/dialects')).sort()).toEqual([
      'index.ts',
      'mysql',
      'postgres',
      'sqlite',
    ]);

    const index = read('src/dialects/sqlite/index.ts');
    expect(index).toContain('export const sqliteDialect: Dialect = {');
    expect(index).toContain("dialect: 'sqlite',");
    expect(read('src/dialects/sqlite/facts.ts')).toContain('https://www.sqlite.org/lang_altertable.html');
    expect(read('src/dialects/sqlite/not-implemented.ts')).toContain('the sqlite dialect does not implement');
    const test = read('test/dialects/sqlite.test.ts');
    expect(test).toContain("describe('sqlite dialect (scaffold: not implemented yet)', () => {");
    expect(test).toContain('a database file in a temporary directory');
    // The DialectName union already names it (that is what allows it); the registry gains its
    // import and one entry, and nothing else changes there.
    expect(read('src/core/snapshot.ts')).toBe(snapshotBefore);
    const registry = read('src/dialects/index.ts');
    expect(registry).toContain("import { sqliteDialect } from './sqlite/index.js';");
    expect(registry).toContain(
      'const BUILT_IN: readonly Dialect[] = [postgresDialect, mysqlDialect, sqliteDialect];',
    );
    const before = new Set(registryBefore.split('\n'));
    expect(registry.split('\n').filter((line) => !before.has(line))).toHaveLength(2);

    await expectRefusal(
      'new-dialect',
      ['sqlite'],
      /^new:dialect: dialect "sqlite" already exists \(src\/dialects\/sqlite\)\n$/,
    );
  });

  it.each([
    ['Bad Name!', /"Bad Name!" is not a DialectName of src\/core\/snapshot\.ts \(postgres, mysql, sqlite\)/],
    ['postgres', /^new:dialect: dialect "postgres" already exists \(src\/dialects\/postgres\)\n$/],
    ['mysql', /^new:dialect: dialect "mysql" already exists \(src\/dialects\/mysql\)\n$/],
    ['oracle', /"oracle" is not a DialectName of src\/core\/snapshot\.ts/],
    ['mariadb', /MariaDB belongs to the mysql dialect/],
  ])('refuses %s, writing nothing', async (name, message) => {
    await expectRefusal('new-dialect', [name], message);
  });
});

describe('the four scaffolds together', () => {
  const all = Object.values(GENERATED).flat();

  it('are formatted as prettier --check wants', async () => {
    for (const path of all) {
      expect(existsSync(join(root, path)), `${path} was not written`).toBe(true);
      const filepath = join(root, path);
      const options = (await prettier.resolveConfig(filepath)) ?? {};
      expect(await prettier.check(read(path), { ...options, filepath }), path).toBe(true);
    }
  });

  it('type-check with the rest of the project under tsconfig.json', async () => {
    for (const path of all) expect(existsSync(join(root, path)), `${path} was not written`).toBe(true);
    const tsc = join(REPO, 'node_modules', '.bin', 'tsc');
    const run = await exec(tsc, ['-p', join(root, 'tsconfig.json'), '--noEmit']);
    expect(run.stdout + run.stderr).toBe('');
    expect(run.code).toBe(0);
    // A whole-project tsc: 20-30 s alone, over a minute on a busy two-core machine.
  }, 180_000);
});
