/**
 * `npm run new:dialect -- <name> [--root <dir>]`: the skeleton of one more database dialect,
 * wired in.
 *
 * Writes src/dialects/<name>/ with the language half of the dialect contract
 * (src/core/dialect): index.ts (the Dialect object), parser.ts, lower.ts, facts.ts, quote.ts and
 * version.ts, each typed and throwing a one-line "not implemented" SchemapilotError; adds the
 * dialect to the registry (src/dialects/index.ts: its import and one entry); and writes
 * test/dialects/<name>.test.ts, a suite of `it.todo`s (one per part, with what it must prove).
 * The driver and scratch halves are left as TODOs in index.ts: a dialect without a driver
 * analyses files and says it cannot connect. `--root` (or SCHEMAPILOT_ROOT) points at another
 * checkout.
 *
 * The name must be one of the `DialectName` type in src/core/snapshot.ts (the JSON contracts
 * list it) without a folder yet. Refuses anything else, with one line on stderr and exit code 2;
 * nothing is written then.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as prettier from 'prettier';
import { ScaffoldError, isMainModule, parseScaffoldArgs, runScaffold } from './scaffold-lib.js';

export { ScaffoldError };

const SNAPSHOT = join('src', 'core', 'snapshot.ts');
const REGISTRY = join('src', 'dialects', 'index.ts');

/** The members of `export type DialectName = 'postgres' | …;`. */
export function dialectNames(snapshotTs: string): string[] {
  const union = /^export type DialectName = ([^;]+);/m.exec(snapshotTs)?.[1] ?? '';
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
      `"${name}" is not a DialectName of src/core/snapshot.ts (${known.join(', ')}): add it there and to DIALECTS in scripts/gen-schemas.ts first`,
    );
  const dir = join('src', 'dialects', name);
  const test = join('test', 'dialects', `${name}.test.ts`);
  if (existsSync(join(root, dir))) throw new ScaffoldError(`dialect "${name}" already exists (${dir})`);
  if (existsSync(join(root, test))) throw new ScaffoldError(`${test} already exists`);
  const registryPath = join(root, REGISTRY);
  const registered = existsSync(registryPath) ? register(readFileSync(registryPath, 'utf8'), name) : null;
  if (registered === null)
    throw new ScaffoldError(`${REGISTRY}: no BUILT_IN list of dialects to add "${name}" to`);

  const files = new Map<string, string>(
    Object.entries(templates(name, vendor(name))).map(([file, text]) => [join(dir, file), text]),
  );
  files.set(test, testTemplate(name, vendor(name)));
  files.set(REGISTRY, registered);
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

/**
 * The registry with the dialect added: its import after the last dialect import, its name at
 * the end of BUILT_IN. Null when the registry has no BUILT_IN list.
 */
function register(registry: string, name: string): string | null {
  const list = /^const BUILT_IN: readonly Dialect\[\] = \[([^\]]*)\];$/m.exec(registry);
  if (!list) return null;
  const imports = [...registry.matchAll(/^import \{ \w+Dialect \} from '\.\/\w+\/index\.js';$/gm)];
  const last = imports.at(-1);
  if (!last) return null;
  const at = (last.index ?? 0) + last[0].length;
  const withImport = `${registry.slice(0, at)}\nimport { ${name}Dialect } from './${name}/index.js';${registry.slice(at)}`;
  const entries = (list[1] ?? '').trim().replace(/,$/, '');
  return withImport.replace(list[0], `const BUILT_IN: readonly Dialect[] = [${entries}, ${name}Dialect];`);
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
    'index.ts': `/**
 * ${v.label} as an implementation of the dialect contract (src/core/dialect). The rest of
 * schemapilot reaches it only through this object, registered in src/dialects/index.ts.
 *
 * TODO, in this order (CONTRIBUTING.md, "A dialect"):
 * - language: parser.ts, lower.ts, facts.ts, quote.ts, version.ts; capabilities below;
 * - safeSql: the building blocks rules and plan recipes share (src/core/dialect/safe-sql.ts);
 * - driver: sessions, introspection, the step runner, deploy lock and probes
 *   (src/core/dialect/driver.ts; ../postgres/index.ts shows one);
 * - scratch: isolated databases for validate (src/core/dialect/scratch.ts).
 */
import type { Dialect, Engine } from '../../core/dialect/index.js';
import { ${name}Facts } from './facts.js';
import { lower${P} } from './lower.js';
import { parse${P} } from './parser.js';
import { quoteIdent, quoteLiteral } from './quote.js';
import { ASSUMED_${name.toUpperCase()}_VERSION, parse${P}Version } from './version.js';
import { notImplemented } from './not-implemented.js';

function engine(defaultSchema: string): Engine {
  return {
    dialect: '${name}',
    parse: parse${P},
    lower: lower${P},
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

export const ${name}Dialect: Dialect = {
  name: '${name}',
  title: '${v.label}',
  language: {
    load: () => Promise.resolve(),
    // TODO: the schema (database) unqualified names resolve to.
    defaultSchema: '${name === 'sqlite' ? 'main' : 'public'}',
    // TODO: how its command-line client runs a file, in users' words ("psql -f").
    fileClient: '${name} client',
    engine,
    parseVersion: parse${P}Version,
    snapshotVersion: (snapshot) => parse${P}Version(snapshot.serverVersion, 'the snapshot'),
    factKey: () => notImplemented('version keys for facts', 'index.ts'),
    assumedVersion: { version: ASSUMED_${name.toUpperCase()}_VERSION, words: \`${v.label} \${ASSUMED_${name.toUpperCase()}_VERSION.text}\` },
    // TODO: each one checked against the vendor's documentation and a real server.
    capabilities: {
      transactionalDdl: false,
      concurrentIndexBuilds: false,
      notValidConstraints: false,
      lockTimeout: false,
      maxIdentifierBytes: 64,
    },
  },
};
`,
    'parser.ts': `/**
 * TODO: split a migration file into statements with their position (1-based line and column,
 * in UTF-16 units), their text without the trailing semicolon, the comments before each (where
 * ignore directives live) and the parser's AST, as ../postgres/parser.ts does. The parser is a
 * dependency: choose one that parses ${v.label}'s own grammar, and record it in docs/decisions/.
 * Syntax errors are SourceErrors (file:line:column: message).
 */
import type { ParsedFile } from '../../core/dialect/index.js';
import { notImplemented } from './not-implemented.js';

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

export function lower${P}(_ast: unknown, _defaultSchema: string): Change[] {
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
 * every keyword and of odd names, as test/dialects/postgres/catalog-details.test.ts does with quote_ident.
 */
import { notImplemented } from './not-implemented.js';

export function quoteIdent(_name: string): string {
  return notImplemented('identifier quoting', 'quote.ts');
}

export function quoteLiteral(_value: string): string {
  return notImplemented('literal quoting', 'quote.ts');
}
`,
    'version.ts': `/**
 * TODO: read ${v.label}'s version as the server reports it and as users configure it, into a
 * ServerVersion (src/core/dialect/version.ts) whose \`product\` tells apart servers whose
 * numbers do not compare (a MariaDB 10.11 is not a MySQL 10).
 */
import type { ServerVersion } from '../../core/dialect/index.js';
import { notImplemented } from './not-implemented.js';

/** TODO: the oldest version the dialect supports. */
export const ASSUMED_${name.toUpperCase()}_VERSION: ServerVersion = { product: '${name}', parts: [0], text: '0' };

export function parse${P}Version(_text: string, _source?: string): ServerVersion {
  return notImplemented('version parsing', 'version.ts');
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
  it.todo('language: a fixture migration through analyze() with this dialect (as test/dialects/toy does)');
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
      next: 'CONTRIBUTING.md, "A dialect": what each file must do, then the driver and scratch halves',
    };
  });
