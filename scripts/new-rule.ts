/**
 * `npm run new:rule -- <id> [--category locking|transactions|breaking|hygiene] [--root <dir>]`
 *
 * Writes src/rules/<id>.ts, test/rules/<id>.test.ts and docs/rules/<id>.md from templates,
 * registers the rule in src/rules/index.ts and adds its row to docs/rules/README.md, both in
 * id order. The generated test fails on purpose until the rule reports something: a rule
 * without an invalid case is not done. `--root` (or SCHEMAPILOT_ROOT) points at another
 * checkout, which is how test/rules/new-rule.test.ts runs it in a temporary copy.
 *
 * Refuses, with one line on stderr and exit code 2, an id that is not kebab-case or that
 * already names a rule, a helper module or a docs page; nothing is written then.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleCategory } from '../src/core/rule.js';
import { ENGINE_RULE_IDS } from '../src/linter/run.js';

export const CATEGORIES: readonly RuleCategory[] = ['locking', 'transactions', 'breaking', 'hygiene'];
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** One-word ids become the import's name in index.ts, which must not be a reserved word. */
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield'.split(
    ' ',
  ),
);

export class ScaffoldError extends Error {}

export interface ScaffoldOptions {
  id: string;
  category: RuleCategory;
  /** Root of the checkout to write into. */
  root: string;
}

/** Creates the three files and registers the rule; returns the paths written, relative to root. */
export function scaffoldRule({ id, category, root }: ScaffoldOptions): string[] {
  if (!KEBAB.test(id))
    throw new ScaffoldError(`"${id}" is not a kebab-case rule id (e.g. drop-index-cascade)`);
  if (RESERVED.has(id))
    throw new ScaffoldError(`"${id}" is a reserved word in JavaScript: choose another id`);
  if (!CATEGORIES.includes(category))
    throw new ScaffoldError(`unknown category "${category}" (one of ${CATEGORIES.join(', ')})`);
  const paths = {
    rule: join('src', 'rules', `${id}.ts`),
    test: join('test', 'rules', `${id}.test.ts`),
    docs: join('docs', 'rules', `${id}.md`),
    index: join('src', 'rules', 'index.ts'),
    readme: join('docs', 'rules', 'README.md'),
  };
  const indexPath = join(root, paths.index);
  if (!existsSync(indexPath)) throw new ScaffoldError(`${indexPath}: no rule registry here (use --root)`);
  const index = readFileSync(indexPath, 'utf8');
  const taken = [paths.rule, paths.test, paths.docs].find((p) => existsSync(join(root, p)));
  if ((ENGINE_RULE_IDS as readonly string[]).includes(id) || taken || index.includes(`'./${id}.js'`))
    throw new ScaffoldError(`rule "${id}" already exists${taken ? ` (${taken})` : ''}`);

  const registered = register(index, id);
  const readmePath = join(root, paths.readme);
  const readme = existsSync(readmePath) ? addReadmeRow(readFileSync(readmePath, 'utf8'), id, category) : null;
  // Everything is computed before the first write, so a refusal leaves the checkout untouched.
  writeFileSync(join(root, paths.rule), ruleTemplate(id, category));
  writeFileSync(join(root, paths.test), testTemplate(id));
  writeFileSync(join(root, paths.docs), docsTemplate(id, category));
  writeFileSync(indexPath, registered);
  const written = [paths.rule, paths.test, paths.docs, paths.index];
  if (readme !== null) {
    writeFileSync(readmePath, readme);
    written.push(paths.readme);
  }
  return written;
}

/** `drop-index-cascade` → `dropIndexCascade`. */
export function importName(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

const DESCRIPTION = 'TODO: one line for listings and SARIF';

/** Adds the import and the array entry, each at its place in id order. */
function register(index: string, id: string): string {
  const lines = index.split('\n');
  const importRe = /^import (\w+) from '\.\/([a-z0-9-]+)\.js';$/;
  const imports = lines.flatMap((l, i) => {
    const m = importRe.exec(l);
    return m ? [{ line: i, name: m[1] ?? '', id: m[2] ?? '' }] : [];
  });
  const open = lines.findIndex((l) => /^export const allRules: readonly Rule\[\] = \[$/.test(l));
  const close = lines.findIndex((l, i) => i > open && l === '];');
  const last = imports[imports.length - 1];
  if (!last || open < 0 || close < 0)
    throw new ScaffoldError('src/rules/index.ts is not laid out as expected: register the rule by hand');
  const name = importName(id);
  const idOf = new Map(imports.map((i) => [i.name, i.id]));
  // The array first (it comes after the imports, so inserting there keeps import line numbers).
  const entries = lines.slice(open + 1, close).map((l) => l.trim().replace(/,$/, ''));
  const before = entries.findIndex((e) => (idOf.get(e) ?? e) > id);
  lines.splice(before < 0 ? close : open + 1 + before, 0, `  ${name},`);
  const after = imports.find((i) => i.id > id);
  lines.splice(after ? after.line : last.line + 1, 0, `import ${name} from './${id}.js';`);
  return lines.join('\n');
}

/** The table is ordered by category, then id; the new row goes to its place. */
function addReadmeRow(readme: string, id: string, category: RuleCategory): string {
  const lines = readme.split('\n');
  const rowRe = /^\| \[`([a-z0-9-]+)`\]\([^)]*\) \| (\w+) \|/;
  const rows = lines.flatMap((l, i) => {
    const m = rowRe.exec(l);
    return m ? [{ line: i, id: m[1] ?? '', rank: CATEGORIES.indexOf((m[2] ?? '') as RuleCategory) }] : [];
  });
  const last = rows[rows.length - 1];
  if (!last) throw new ScaffoldError('docs/rules/README.md has no rule table: add the row by hand');
  const rank = CATEGORIES.indexOf(category);
  const next = rows.find((r) => r.rank > rank || (r.rank === rank && r.id > id));
  const row = `| [\`${id}\`](${id}.md) | ${category} | warning | ${scales(category)} | ${DESCRIPTION} |`;
  lines.splice(next ? next.line : last.line + 1, 0, row);
  return lines.join('\n');
}

/** Locking rules lower their severity on small tables; the others are about callers, not cost. */
function scales(category: RuleCategory): 'yes' | 'no' {
  return category === 'locking' ? 'yes' : 'no';
}

function ruleTemplate(id: string, category: RuleCategory): string {
  return `import { defineRule } from '../core/rule.js';

/**
 * TODO: why this matters, in two or three sentences: what PostgreSQL does when this statement
 * runs, and what the application sees. For a lock or rewrite fact, the PostgreSQL docs URL:
 * https://www.postgresql.org/docs/current/
 */
export default defineRule({
  meta: {
    id: '${id}',
    category: '${category}',
    severity: 'warning',
    description: '${DESCRIPTION}',
    // TODO: the Change kinds to look at (src/core/change.ts), e.g. ['add column'].
    kinds: [],
    scalesWithSize: ${category === 'locking'},
    skipNewTables: true,
    // The dialects whose behaviour the finding rests on (registry names); leave it out when it
    // holds for every dialect. The analysis runs the rule for these only.
    dialects: ['postgres'],
  },
  check(_context) {
    // TODO: return findings: { message, safeAlternative } with the user's own names, quoted
    // with _context.q, and choices only the user can make in -- comments. Statements come
    // from the dialect's building blocks, _context.sql (alterTable, notNullScript, indexes…),
    // ended with \`ended\` from ./sql.js.
    return [];
  },
});
`;
}

function testTemplate(id: string): string {
  return `import { ruleTester } from '../support/rule-tester.js';

ruleTester('${id}', {
  valid: [
    // TODO: statements the rule must not report, including a false positive it avoids
    // (a table created in the same migration, a small table, the safe form itself).
    'SELECT 1',
  ],
  invalid: [
    {
      // TODO: a statement the rule reports. This case fails until the rule does.
      sql: 'SELECT 1',
      message: /TODO/,
    },
  ],
});
`;
}

function docsTemplate(id: string, category: RuleCategory): string {
  return `# ${id}

**Category:** ${category} · **Default severity:** warning · **Scales with table size:** ${scales(category)}

${DESCRIPTION}.

## Problem

TODO: what PostgreSQL does when this runs (locks, rewrites, scans), and what the application
and the people running it see.

## Safe alternative

\`\`\`sql
-- TODO: the safe form, with example names
\`\`\`

## When it fires

TODO: the statements it looks at, the versions that matter, whether severity scales with the
table's size, and whether tables created in the same migration are skipped.

## References

- PostgreSQL: [TODO](https://www.postgresql.org/docs/current/)
- Peers: TODO (rule names only)
`;
}

export interface CliArgs {
  id: string;
  category: RuleCategory;
  root: string;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const defaultRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
  let id: string | undefined;
  let category: string = 'locking';
  let root = env['SCHEMAPILOT_ROOT'] || defaultRoot;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ScaffoldError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--category') category = value();
    else if (flag === '--root') root = resolve(value());
    else if (arg.startsWith('-')) throw new ScaffoldError(`unknown option ${arg}`);
    else if (id === undefined) id = arg;
    else throw new ScaffoldError(`one rule id at a time (got "${id}" and "${arg}")`);
  }
  if (id === undefined)
    throw new ScaffoldError(
      `usage: npm run new:rule -- <id> [--category ${CATEGORIES.join('|')}] [--root <dir>]`,
    );
  if (!CATEGORIES.includes(category as RuleCategory))
    throw new ScaffoldError(`unknown category "${category}" (one of ${CATEGORIES.join(', ')})`);
  return { id, category: category as RuleCategory, root };
}

function main(): void {
  try {
    const args = parseArgs(process.argv.slice(2));
    const written = scaffoldRule(args);
    for (const path of written)
      console.log(`wrote ${relative(process.cwd(), join(args.root, path)) || path}`);
    console.log(
      `next: fill in the TODOs, then npx vitest run test/rules/${args.id}.test.ts test/rules/docs.test.ts`,
    );
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    console.error(`new:rule: ${error.message}`);
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
