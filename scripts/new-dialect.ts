/**
 * `npm run new:dialect -- <name> [--root <dir>]`: the skeleton of one more database dialect.
 *
 * Writes src/dialects/<name>/ with the files src/dialects/postgres/ has (connect, introspect,
 * parser, lower, facts, quote, engine, plan-sql), each exporting what the rest of schemapilot
 * calls, typed, and throwing a one-line "not implemented" SchemapilotError; and
 * test/dialects/<name>.test.ts, a suite of `it.todo`s (one per part, with what it must prove),
 * so the run reports them without failing. Nothing is wired in: the CLI and src/api keep using
 * PostgreSQL until the dialect works (CONTRIBUTING.md, "A dialect", says where to wire it).
 * `--root` (or SCHEMAPILOT_ROOT) points at another checkout.
 *
 * The name must be one of the `Dialect` type in src/core/snapshot.ts (the JSON contracts list
 * it) without a folder yet. Refuses anything else, with one line on stderr and exit code 2;
 * nothing is written then.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as prettier from 'prettier';
import { ScaffoldError, isMainModule, parseScaffoldArgs, runScaffold } from './scaffold-lib.js';

export { ScaffoldError };

const SNAPSHOT = join('src', 'core', 'snapshot.ts');

/** The members of `export type Dialect = 'postgres' | …;`. */
export function dialectNames(snapshotTs: string): string[] {
  const union = /^export type Dialect = ([^;]+);/m.exec(snapshotTs)?.[1] ?? '';
  return [...union.matchAll(/'([a-z0-9]+)'/g)].map((m) => m[1] ?? '');
}

/** `mysql` → `Mysql`. */
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

interface Vendor {
  label: string;
  docs: string[];
  server: string;
}

function vendor(name: string): Vendor {
  if (name === 'mysql')
    return {
      label: 'MySQL/MariaDB',
      docs: [
        'https://dev.mysql.com/doc/refman/8.4/en/innodb-online-ddl-operations.html',
        'https://mariadb.com/kb/en/innodb-online-ddl-overview/',
      ],
      server: "TEST_MYSQL_URL (a MariaDB or MySQL server; inject('mysqlUrl') in tests)",
    };
  if (name === 'sqlite')
    return {
      label: 'SQLite',
      docs: ['https://www.sqlite.org/lang_altertable.html', 'https://www.sqlite.org/lockingv3.html'],
      server: 'a database file in a temporary directory (no server)',
    };
  return { label: name, docs: ['https://…'], server: 'a real server of each supported version' };
}

export async function scaffoldDialect(name: string, root: string): Promise<string[]> {
  const snapshotPath = join(root, SNAPSHOT);
  if (!existsSync(snapshotPath))
    throw new ScaffoldError(`${snapshotPath}: not a schemapilot checkout (use --root)`);
  const known = dialectNames(readFileSync(snapshotPath, 'utf8'));
  if (name === 'mariadb')
    throw new ScaffoldError('MariaDB belongs to the mysql dialect (tested on TEST_MYSQL_URL): use mysql');
  if (!known.includes(name))
    throw new ScaffoldError(
      `"${name}" is not a Dialect of src/core/snapshot.ts (${known.join(', ')}): add it there and to DIALECTS in scripts/gen-schemas.ts first`,
    );
  const dir = join('src', 'dialects', name);
  const test = join('test', 'dialects', `${name}.test.ts`);
  if (existsSync(join(root, dir))) throw new ScaffoldError(`dialect "${name}" already exists (${dir})`);
  if (existsSync(join(root, test))) throw new ScaffoldError(`${test} already exists`);

  const files = new Map<string, string>(
    Object.entries(templates(name, vendor(name))).map(([file, text]) => [join(dir, file), text]),
  );
  files.set(test, testTemplate(name, vendor(name)));
  const formatted = new Map<string, string>();
  for (const [path, text] of files) {
    const filepath = join(root, path);
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    formatted.set(path, await prettier.format(text, { ...options, filepath }));
  }
  for (const [path, text] of formatted) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return [...formatted.keys()];
}

function templates(name: string, v: Vendor): Record<string, string> {
  const P = pascal(name);
  const docs = v.docs.map((d) => ` * ${d}`).join('\n');
  return {
    'not-implemented.ts': `import { SchemapilotError } from '../../core/errors.js';

/** Every stub of the ${name} dialect throws this until its part is written. */
export function notImplemented(what: string, file: string): never {
  throw new SchemapilotError(\`the ${name} dialect does not implement \${what} yet (src/dialects/${name}/\${file})\`);
}
`,
    'connect.ts': `/**
 * TODO: open a connection to ${v.label} from a URL, turning every way it can fail (bad URL,
 * unreachable host, authentication, missing database) into a one-line InputError with the
 * password removed (redactUrl), as ../postgres/connect.ts does. The driver is a dependency:
 * pin its version in package.json and record the choice in docs/decisions/.
 */
import { notImplemented } from './not-implemented.js';

export interface ConnectOptions {
  /** Give up connecting after this long (ms). */
  connectTimeoutMs?: number;
}

/** TODO: the driver's client type instead of never. */
export async function connect${P}(_url: string, _options: ConnectOptions = {}): Promise<never> {
  return notImplemented('connect', 'connect.ts');
}
`,
    'introspect.ts': `/**
 * TODO: read the schema into a SchemaSnapshot (src/core/snapshot.ts), read-only, in one
 * consistent snapshot of the catalog, with a fixed number of catalog queries (not one per
 * table); keep the queries in catalog-queries.ts, one per object kind with a typed row and a
 * comment on why it is shaped that way, as ../postgres/catalog-queries.ts does. Objects in key
 * order, lists sorted by name: the snapshot JSON must be deterministic.
 */
import type { SchemaSnapshot } from '../../core/snapshot.js';
import { notImplemented } from './not-implemented.js';

export interface IntrospectOptions {
  /** Schemas (databases) to inspect; default: every non-system one. */
  schemas?: readonly string[];
}

export async function inspect${P}(_url: string, _options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  return notImplemented('introspection', 'introspect.ts');
}
`,
    'parser.ts': `/**
 * TODO: split a migration file into statements with their position (1-based line and column,
 * in UTF-16 units), their text without the trailing semicolon, the comments before each (where
 * ignore directives live) and the parser's AST, as ../postgres/parser.ts does. The parser is a
 * dependency: choose one that parses ${v.label}'s own grammar, and record it in docs/decisions/.
 * Syntax errors are SourceErrors (file:line:column: message).
 */
import type { ParsedStatement } from '../../core/analysis.js';
import { notImplemented } from './not-implemented.js';

export interface ParsedFile {
  statements: ParsedStatement[];
  /** Every comment outside a statement, in order (file-level directives live here). */
  comments: string[];
}

export function parse${P}(_sql: string, _file: string): ParsedFile {
  return notImplemented('parsing', 'parser.ts');
}
`,
    'lower.ts': `/**
 * TODO: turn one statement's AST into the Changes of src/core/change.ts (several for an ALTER
 * TABLE with several actions), relation names qualified with the default schema (the database,
 * for MySQL), as ../postgres/lower.ts does. A statement with no matching kind becomes
 * { kind: 'unknown' } rather than an error; a new kind goes into change.ts and CHANGE_KINDS in
 * scripts/gen-schemas.ts.
 */
import type { Change } from '../../core/change.js';
import { notImplemented } from './not-implemented.js';

export interface LowerContext {
  defaultSchema: string;
}

export function lowerStatement(_ast: unknown, _ctx: LowerContext): Change[] {
  return notImplemented('lowering to Changes', 'lower.ts');
}
`,
    'facts.ts': `/**
 * TODO: what each Change does on ${v.label}, per server version: the locks it takes (mapped onto
 * LockMode of src/core/locks.ts, whose blockedTraffic says what traffic waits; record the
 * mapping in docs/decisions/), whether it rewrites, scans or rebuilds indexes, whether it can
 * run in a transaction. Each fact cites the vendor's documentation for the version it holds on,
 * and a test on a real server of each supported version checks it (as test/facts does for
 * PostgreSQL):
${docs}
 */
import type { DialectFacts } from '../../core/facts.js';
import { notImplemented } from './not-implemented.js';

export const ${name}Facts: DialectFacts = {
  changeFacts: () => notImplemented('facts', 'facts.ts'),
};
`,
    'quote.ts': `/**
 * TODO: quote identifiers and literals exactly as ${v.label} reads them, so generated SQL never
 * pastes a name or a value as it came. A test checks them against the server's own quoting of
 * every keyword and of odd names, as test/catalog-details.test.ts does with quote_ident.
 */
import { notImplemented } from './not-implemented.js';

export function quoteIdent(_name: string): string {
  return notImplemented('identifier quoting', 'quote.ts');
}

export function quoteLiteral(_value: string): string {
  return notImplemented('literal quoting', 'quote.ts');
}
`,
    'engine.ts': `/** The ${name} dialect as the analysis loop sees it (the Engine of src/linter/run.ts). */
import type { Engine } from '../../core/dialect/language.js';
import { ${name}Facts } from './facts.js';
import { lowerStatement } from './lower.js';
import { parse${P} } from './parser.js';
import { quoteIdent, quoteLiteral } from './quote.js';

export function ${name}Engine(defaultSchema: string): Engine {
  return {
    dialect: '${name}',
    parse: parse${P},
    lower: (ast, schema) => lowerStatement(ast, { defaultSchema: schema }),
    facts: ${name}Facts,
    quote: {
      ident: quoteIdent,
      table: (qualified) => {
        const dot = qualified.indexOf('.');
        const schema = qualified.slice(0, dot);
        const name = qualified.slice(dot + 1);
        return schema === defaultSchema ? quoteIdent(name) : \`\${quoteIdent(schema)}.\${quoteIdent(name)}\`;
      },
      literal: quoteLiteral,
    },
  };
}
`,
    'plan-sql.ts': `/**
 * TODO: the SQL rewrites the planner needs (PlannerDialect in src/planner/types.ts), printed
 * from the user's own statement so nothing they wrote is lost. Where ${v.label} has no
 * equivalent (CONCURRENTLY), say so in the recipes' output rather than pretend: the recipes in
 * src/planner/recipes are written for PostgreSQL and check ctx.dialect.dialect where they differ.
 */
import type { PlannerDialect } from '../../planner/types.js';
import { ${name}Engine } from './engine.js';
import { notImplemented } from './not-implemented.js';

export function ${name}PlannerDialect(defaultSchema: string): PlannerDialect {
  return {
    ...${name}Engine(defaultSchema),
    concurrentIndex: () => notImplemented('online index builds', 'plan-sql.ts'),
    concurrentFromDefinition: () => notImplemented('online index builds', 'plan-sql.ts'),
    alterTableAction: () => notImplemented('splitting ALTER TABLE', 'plan-sql.ts'),
  };
}
`,
  };
}

function testTemplate(name: string, v: Vendor): string {
  return `/**
 * The ${name} dialect (src/dialects/${name}/) is a scaffold: every function throws "not
 * implemented", so there is nothing to test yet. Replace each todo with a suite as its part
 * lands. Tests run on ${v.server}; without it a suite is skipped loudly, and fails under CI=true
 * (missingDatabase in test/support/pg.ts), as the PostgreSQL suites do.
 */
import { describe, it } from 'vitest';

describe('${name} dialect (scaffold: not implemented yet)', () => {
  it.todo('connect: a bad URL, an unreachable host and a wrong password are one-line errors without the password');
  it.todo('introspect: every object kind of a fixture schema in the SchemaSnapshot, on every supported version');
  it.todo('introspect: the snapshot JSON is the same byte for byte on a second run');
  it.todo('parse: statements with line, column, text and leading comments; a syntax error is file:line:column');
  it.todo('lower: each statement of a fixture migration to its Changes, names qualified with the default schema');
  it.todo('facts: each fact observed on a real server of each supported version, with the vendor docs it cites');
  it.todo('quote: identifiers and literals round-trip through the server');
  it.todo('plan: every recipe that applies to ${name} round-tripped on a real server (test/planner/roundtrip.test.ts)');
});
`;
}

export function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { name: string; root: string } {
  return parseScaffoldArgs(argv, env, { command: 'new:dialect', what: 'dialect', placeholder: '<name>' });
}

if (isMainModule(import.meta.url))
  void runScaffold('new:dialect', async () => {
    const { name, root } = parseArgs(process.argv.slice(2));
    const written = await scaffoldDialect(name, root);
    return {
      root,
      written,
      next: 'CONTRIBUTING.md, "A dialect": what each file must do and where to wire it in',
    };
  });
