/**
 * What the MySQL lowering families share: names, expressions, types. The AST is
 * node-sql-parser's (plus supplement.ts nodes, ast.ts), read defensively as plain JSON: a shape
 * we do not expect gives `unknown` upstream, never a throw.
 *
 * Names: `schema.table`, the default schema (the connection's database) filled in, parts
 * unquoted as the server stores them. MySQL keeps a table's case as written (on Linux with the
 * default lower_case_table_names=0 `Users` and `users` are two tables), so no case folding.
 */
import { createRequire } from 'node:module';
import type { Parser } from 'node-sql-parser';
import type { Change, Expr } from '../../../core/change.js';

export type Node = Record<string, unknown>;

/** Lowers one statement (its whole AST node) to its Changes. */
export type Lowerer = (node: Node, defaultSchema: string) => Change[];

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nodes(value: unknown): Node[] {
  return Array.isArray(value) ? value.filter(isNode) : [];
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** node-sql-parser keeps a doubled backtick inside a quoted name (`` `back``tick` ``). */
export function ident(name: string): string {
  return name.replace(/``/g, '`');
}

/** `{ db, table }` → `schema.table`. */
export function tableName(ref: unknown, defaultSchema: string): string {
  const r = isNode(ref) ? ref : {};
  const table = str(r['table']) ?? str(r['view']) ?? '';
  return `${ident(str(r['db']) ?? defaultSchema)}.${ident(table)}`;
}

/** A column_ref's name, or a bare string (node-sql-parser uses both). */
export function columnName(ref: unknown): string {
  if (typeof ref === 'string') return ident(ref);
  if (!isNode(ref)) return '';
  const c = ref['column'];
  // An expression column may come as { expr: { type: 'default', value } }.
  if (isNode(c) && isNode(c['expr'])) return ident(str(c['expr']['value']) ?? '');
  return ident(str(c) ?? '');
}

// The deparser of the same grammar parseMysql loaded (require shares its module cache with that
// import, so nothing loads twice). Taken lazily: lowering always follows parsing.
let deparser: Parser | undefined;
function sqlParser(): Parser {
  if (!deparser) {
    const require = createRequire(import.meta.url);
    const mod = require('node-sql-parser/build/mysql.js') as { Parser: new () => Parser };
    deparser = new mod.Parser();
  }
  return deparser;
}

const OPTIONS = { database: 'MySQL' } as const;

const LITERALS = new Set([
  'number',
  'single_quote_string',
  'double_quote_string',
  'natural_string',
  'hex_string',
  'full_hex_string',
  'bit_string',
  'bool',
  'boolean',
  'null',
  'string',
]);

/** An expression node as an Expr: deparsed SQL, functions called, whether a bare literal. */
export function expr(node: unknown): Expr {
  let sql: string;
  try {
    sql = sqlParser().exprToSQL(node, OPTIONS);
  } catch {
    sql = '';
  }
  return { sql, functions: functionsIn(node), constant: isConstant(node) };
}

/** An expression supplement.ts kept as text (ALTER COLUMN … SET DEFAULT): parsed as a SELECT item. */
export function exprText(text: string): Expr {
  try {
    const ast = sqlParser().astify(`SELECT ${text}`, OPTIONS) as unknown;
    const select = Array.isArray(ast) ? (ast[0] as unknown) : ast;
    const first = isNode(select) ? nodes(select['columns'])[0] : undefined;
    if (first && isNode(first['expr'])) return { ...expr(first['expr']), sql: text.trim() };
  } catch {
    // Fall through: the text as written, judged by its look.
  }
  const functions = [...text.matchAll(/([A-Za-z_][\w$]*)\s*\(/g)].map((m) => (m[1] ?? '').toLowerCase());
  return {
    sql: text.trim(),
    functions,
    constant: /^(-?[\d.]+|'(?:''|[^'])*'|NULL|TRUE|FALSE)$/i.test(text.trim()),
  };
}

function isConstant(node: unknown): boolean {
  if (!isNode(node)) return false;
  const type = str(node['type']) ?? '';
  if (LITERALS.has(type)) return true;
  // A signed number: `-1` is a unary_expr over a number.
  if (type === 'unary_expr' && node['operator'] === '-') return isConstant(node['expr']);
  if (type === 'cast') return isConstant(node['expr']);
  return false;
}

function functionsIn(node: unknown): string[] {
  const out = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    if (!isNode(n)) return;
    if (n['type'] === 'function' || n['type'] === 'aggr_func') {
      const name = functionName(n['name']);
      if (name) out.add(name);
    }
    Object.values(n).forEach(walk);
  };
  walk(node);
  return [...out];
}

/** `{ name: [{ value: 'uuid' }] }` or `'COUNT'` → `uuid` / `count`. */
function functionName(name: unknown): string {
  if (typeof name === 'string') return name.toLowerCase();
  if (!isNode(name)) return '';
  return nodes(name['name'])
    .map((p) => String(p['value'] ?? ''))
    .join('.')
    .toLowerCase();
}

/** Tables a query reads (views' and CREATE TABLE … SELECT's `reads`), qualified and sorted. */
export function relationsRead(query: unknown, defaultSchema: string): string[] {
  const out = new Set<string>();
  const cte = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    if (!isNode(n)) return;
    for (const w of nodes(isNode(n['with']) ? [n['with']] : n['with'])) {
      const name = isNode(w['name']) ? str(w['name']['value']) : str(w['name']);
      if (name) cte.add(name);
    }
    for (const f of nodes(n['from'])) {
      const table = str(f['table']);
      if (table && !(f['db'] === null && cte.has(table))) out.add(tableName(f, defaultSchema));
    }
    Object.values(n).forEach(walk);
  };
  walk(query);
  return [...out].sort();
}
