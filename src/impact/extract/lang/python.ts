/**
 * Python: DB-API `cursor.execute/executemany` (`%s`, `%(name)s`), asyncpg
 * `fetch/fetchrow/fetchval/execute/executemany` (`$1`), SQLAlchemy `text()` (`:name`), Django
 * `Manager.raw()` (`%s`). Implicit concatenation (`"a" "b"`), `+` and triple-quoted strings are
 * joined; f-strings with values, `%` formatting and `.format()` are built at run time.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { PlaceholderStyles } from '../sql-text.js';
import type { FileContext } from '../common.js';
import {
  Assignments,
  fieldConcatenation,
  innerValue,
  joined,
  literal,
  unescapeC,
  unknown,
  walk,
  type Value,
} from '../common.js';

const FUNCTIONS = new Set(['function_definition', 'lambda']);

const DBAPI: PlaceholderStyles = { percent: true, colon: true };
const ASYNCPG: PlaceholderStyles = {};
/** Method → placeholder styles; `execute` is DB-API's and asyncpg's, which never mix `%s` and `$1`. */
const METHODS: Record<string, { styles: PlaceholderStyles; ambiguous: boolean }> = {
  execute: { styles: DBAPI, ambiguous: true },
  executemany: { styles: DBAPI, ambiguous: true },
  fetch: { styles: ASYNCPG, ambiguous: true },
  fetchrow: { styles: ASYNCPG, ambiguous: false },
  fetchval: { styles: ASYNCPG, ambiguous: false },
  raw: { styles: { percent: true }, ambiguous: true },
};

export function extractPython(tree: Tree, ctx: FileContext): void {
  const vars = new Assignments(FUNCTIONS);
  for (const n of walk(tree.rootNode)) {
    if (n.type !== 'assignment' && n.type !== 'augmented_assignment') continue;
    const left = n.childForFieldName('left');
    if (left?.type === 'identifier') vars.add(left.text, n.childForFieldName('right'), n);
    else if (left?.type === 'attribute') vars.add(left.childForFieldName('attribute')?.text ?? '', null, n);
  }
  const evaluate = (node: Node): Value => value(node, vars, evaluate);

  for (const n of walk(tree.rootNode)) {
    if (n.type !== 'call') continue;
    const fn = n.childForFieldName('function');
    const args = n.childForFieldName('arguments');
    if (fn === null || args?.type !== 'argument_list') continue;
    const first = args.namedChildren.find(
      (a) => a !== null && a.type !== 'comment' && a.type !== 'keyword_argument',
    );
    if (first === undefined || first === null) continue;
    if (fn.type === 'identifier' && fn.text === 'text') {
      ctx.add(evaluate(first), 'text', { colon: true }, true);
      continue;
    }
    if (fn.type !== 'attribute') continue;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const call = METHODS[method];
    if (call === undefined) continue;
    // session.execute(text("…")) and cursor.execute(sql.SQL(…)): the inner call is the query, or not one we read.
    if (first.type === 'call') {
      if (/(^|\.)text$/.test(first.childForFieldName('function')?.text ?? '')) continue;
      if (!call.ambiguous || isCursor(fn)) ctx.add(evaluate(first), fn.text, call.styles);
      continue;
    }
    const styles = isAsyncpg(fn) ? ASYNCPG : call.styles;
    ctx.add(evaluate(first), fn.text, styles, call.ambiguous && !isCursor(fn));
  }
}

/** `cursor.execute`, `cur.execute`, `connection.cursor().execute`: certainly a database. */
function isCursor(fn: Node): boolean {
  return /(^|\.)(cursor|cur|c|conn|connection|db|session)(\(\))?\.\w+$/i.test(fn.text);
}

/** asyncpg's connections and pools take `$1`; DB-API cursors take `%s`. */
function isAsyncpg(fn: Node): boolean {
  return (
    /(^|\.)(conn|connection|pool|con)\.(fetch|fetchrow|fetchval|execute|executemany)$/.test(fn.text) &&
    !/cursor/i.test(fn.text)
  );
}

function value(node: Node, vars: Assignments, evaluate: (n: Node) => Value): Value {
  switch (node.type) {
    case 'string':
      return stringValue(node);
    case 'concatenated_string':
      return joined(node.namedChildren.flatMap((c) => (c?.type === 'string' ? [stringValue(c)] : [])));
    case 'parenthesized_expression':
      return innerValue(node, evaluate);
    case 'binary_operator': {
      if (node.childForFieldName('operator')?.text === '%') return unknown(node, 'string formatting with %');
      return fieldConcatenation(node, evaluate);
    }
    case 'identifier':
      return vars.resolve(node.text, node, evaluate);
    case 'attribute': {
      // self.SQL, cls.SQL, Queries.SQL: a class attribute assigned once.
      const object = node.childForFieldName('object')?.text ?? '';
      const name = node.childForFieldName('attribute')?.text ?? '';
      return /^(self|cls|[A-Z]\w*)$/.test(object)
        ? vars.resolve(name, node, evaluate)
        : unknown(node, `built from ${node.text}`);
    }
    case 'call':
      return unknown(
        node,
        /\.format$/.test(node.childForFieldName('function')?.text ?? '')
          ? 'string formatting with .format()'
          : 'a function call result',
      );
    default:
      return unknown(node, `built at run time (${node.type.replace(/_/g, ' ')})`);
  }
}

function stringValue(node: Node): Value {
  const start = node.namedChildren.find((c) => c?.type === 'string_start');
  const end = node.namedChildren.find((c) => c?.type === 'string_end');
  if (start === undefined || start === null || end === undefined || end === null)
    return unknown(node, 'an unterminated string');
  const prefix = start.text.replace(/['"]/g, '').toLowerCase();
  if (node.namedChildren.some((c) => c?.type === 'interpolation'))
    return unknown(node, 'an f-string with interpolated values');
  const raw = node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex);
  const text = prefix.includes('r') ? raw : unescapeC(raw);
  // An f-string without values has only the `{{`/`}}` escapes.
  return literal(
    prefix.includes('f') ? text.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : text,
    start.endIndex,
  );
}
