/**
 * The shape of a query another service runs (core/dialect/query-shape.ts), read with the MySQL
 * parser (node-sql-parser, parser.ts): the table an INSERT/REPLACE/UPDATE/DELETE writes, the
 * columns it names, whether the result is `*`, the tables named (CTE names and a multi-table
 * DELETE's aliases left out) and the string literals. Placeholders are turned back into `?`
 * first (impact/statements.ts), as the checker sends them. A statement the parser refuses
 * (it is narrower than the servers) gives null: the query is then prepared again after every
 * step and gets no "may break" reasons.
 */
import type { QueryShape } from '../../core/dialect/query-shape.js';
import { preparableStatements } from './impact/statements.js';
import { isNode, nodes, str, tableName, type Node } from './lowering/common.js';
import { parseMysql } from './parser.js';

const KINDS: Record<string, QueryShape['kind']> = {
  select: 'select',
  insert: 'insert',
  replace: 'insert',
  update: 'update',
  delete: 'delete',
};

const STRINGS = new Set(['single_quote_string', 'double_quote_string', 'natural_string', 'string']);

export function mysqlQueryShape(sql: string, defaultSchema: string): QueryShape[] | null {
  const split = preparableStatements(sql);
  if ('notCheckable' in split) return null;
  try {
    return split.statements.flatMap((statement) =>
      parseMysql(statement, 'query').statements.map((s) => shapeOf(s.ast, defaultSchema)),
    );
  } catch {
    return null;
  }
}

function shapeOf(ast: unknown, defaultSchema: string): QueryShape {
  const body = isNode(ast) ? ast : {};
  const kind = KINDS[str(body['type']) ?? ''] ?? 'other';
  const ctes = new Set<string>();
  const references: Node[] = [];
  const literals = new Set<string>();
  // A multi-table DELETE lists its targets by alias; its FROM list names the tables.
  const skip = (parent: Node, key: string) => parent === body && key === 'table' && kind === 'delete';
  walk(body, skip, (node) => {
    if (isNode(node['name']) && isNode(node['stmt'])) {
      const name = str(node['name']['value']);
      if (name) ctes.add(name);
    } else if (typeof node['table'] === 'string' && 'db' in node) references.push(node);
    else if (STRINGS.has(str(node['type']) ?? '') && typeof node['value'] === 'string')
      literals.add(node['value']);
  });
  const tables = references
    .filter((r) => r['db'] || !ctes.has(str(r['table']) ?? ''))
    .map((r) => tableName(r, defaultSchema));
  const written =
    kind === 'insert' || kind === 'update' || kind === 'delete' ? writtenTable(body, kind) : null;
  return {
    kind,
    table: written ? tableName(written, defaultSchema) : null,
    columns: columnsOf(body, kind),
    star: (kind === 'select' && selectStar(body)) || (kind === 'insert' && selectStar(body['values'])),
    tables: [...new Set(tables)].sort(),
    literals: [...literals].sort(),
  };
}

/** Every object under `root`, depth first, except what is under a child `skip` names. */
function walk(root: Node, skip: (parent: Node, key: string) => boolean, visit: (node: Node) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...(value as unknown[]));
    else if (isNode(value)) {
      visit(value);
      for (const [key, child] of Object.entries(value))
        if (typeof child === 'object' && child !== null && !skip(value, key)) stack.push(child);
    }
  }
}

/** The one table the statement writes; null when it writes several or it cannot be told. */
function writtenTable(body: Node, kind: 'insert' | 'update' | 'delete'): Node | null {
  const targets = nodes(body['table']);
  if (kind === 'insert') return targets[0] ?? null;
  const from = kind === 'delete' ? nodes(body['from']) : targets;
  if (from.length === 1) return from[0] ?? null;
  // Several tables joined: the written one is named by the SET qualifiers or DELETE's targets.
  const names =
    kind === 'delete' ? targets.map((t) => str(t['table'])) : nodes(body['set']).map((s) => str(s['table']));
  const distinct = [...new Set(names)];
  const only = distinct.length === 1 ? distinct[0] : null;
  if (!only) return null;
  return from.find((f) => f['as'] === only) ?? from.find((f) => !f['as'] && f['table'] === only) ?? null;
}

function columnsOf(body: Node, kind: QueryShape['kind']): string[] | null {
  const set = nodes(body['set']).map((s) => str(s['column']) ?? '');
  if (kind === 'update') return set;
  if (kind !== 'insert') return [];
  const list = body['columns'];
  if (Array.isArray(list))
    return list.map((c) => (typeof c === 'string' ? c : (str(isNode(c) ? c['column'] : null) ?? '')));
  // `INSERT … SET a = ?` names its columns like an UPDATE; without either, every column in order.
  return set.length > 0 ? set : null;
}

/** `SELECT *` or `SELECT t.*` at the top of a select, on any branch of a UNION. */
function selectStar(select: unknown): boolean {
  for (let s = select; isNode(s); s = s['_next']) {
    if (s['type'] !== 'select') return false;
    const star = nodes(s['columns']).some((c) => {
      const expr = isNode(c['expr']) ? c['expr'] : {};
      return expr['type'] === 'column_ref' && (expr['column'] === '*' || isStar(expr['column']));
    });
    if (star) return true;
  }
  return false;
}

/** node-sql-parser writes some columns as `{ expr: { type: 'default', value } }`. */
function isStar(column: unknown): boolean {
  return isNode(column) && isNode(column['expr']) && column['expr']['value'] === '*';
}
