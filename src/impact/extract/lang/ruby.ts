/**
 * Ruby (ActiveRecord): `find_by_sql` (a string, or `[sql, binds…]`), and the connection's
 * `execute`, `select_all`, `select_one`, `select_rows`, `select_value(s)`, `exec_query`,
 * `exec_insert/update/delete`. Heredocs (`<<~SQL`), adjacent literals (`"a" \ "b"`) and
 * constants are resolved; `#{…}` interpolation is built at run time.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { PlaceholderStyles } from '../sql-text.js';
import type { FileContext } from '../common.js';
import {
  Assignments,
  fieldConcatenation,
  innerValue,
  joined,
  unescapeC,
  unknown,
  walk,
  type Piece,
  type Value,
} from '../common.js';

const FUNCTIONS = new Set(['method', 'singleton_method', 'lambda', 'block', 'do_block']);
/** Rails sanitizes `?` and `:name`; exec_query binds `$1`. */
const AR: PlaceholderStyles = { question: true, colon: true };

/** Method → ambiguous (the name is common outside ActiveRecord). */
const METHODS: Record<string, boolean> = {
  find_by_sql: false,
  execute: true,
  select_all: false,
  select_one: false,
  select_rows: false,
  select_value: false,
  select_values: false,
  exec_query: false,
  exec_insert: false,
  exec_update: false,
  exec_delete: false,
};

export function extractRuby(tree: Tree, ctx: FileContext): void {
  // A heredoc's body follows its line: the n-th `<<~X` of the file opens the n-th body.
  const beginnings: Node[] = [];
  const bodies: Node[] = [];
  const vars = new Assignments(FUNCTIONS);
  for (const n of walk(tree.rootNode)) {
    if (n.type === 'heredoc_beginning') beginnings.push(n);
    else if (n.type === 'heredoc_body') bodies.push(n);
    else if (n.type === 'assignment' || n.type === 'operator_assignment') {
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier' || left?.type === 'constant')
        vars.add(left.text, n.type === 'assignment' ? n.childForFieldName('right') : null, n);
    }
  }
  beginnings.sort((a, b) => a.startIndex - b.startIndex);
  bodies.sort((a, b) => a.startIndex - b.startIndex);
  const heredocs = new Map(beginnings.map((b, i) => [b.id, bodies[i]]));
  const evaluate = (node: Node): Value => value(node, vars, evaluate, heredocs);

  for (const n of walk(tree.rootNode)) {
    if (n.type !== 'call') continue;
    const method = n.childForFieldName('method')?.text ?? '';
    const ambiguous = METHODS[method];
    if (ambiguous === undefined) continue;
    let first = n
      .childForFieldName('arguments')
      ?.namedChildren.find((c) => c !== null && c.type !== 'comment');
    if (first?.type === 'array') first = first.namedChild(0);
    if (first === undefined || first === null) continue;
    const receiver = n.childForFieldName('receiver')?.text ?? '';
    const api = receiver === '' ? method : `${receiver.replace(/^.*\b(connection)\b.*$/, '$1')}.${method}`;
    ctx.add(evaluate(first), api, AR, ambiguous && !/connection|conn\b/.test(receiver));
  }
}

function value(
  node: Node,
  vars: Assignments,
  evaluate: (n: Node) => Value,
  heredocs: Map<number, Node | undefined>,
): Value {
  switch (node.type) {
    case 'string':
      return parts(node, !node.text.startsWith("'") && !/^%q/.test(node.text));
    case 'chained_string':
      return joined(node.namedChildren.flatMap((c) => (c === null ? [] : [evaluate(c)])));
    case 'heredoc_beginning': {
      const body = heredocs.get(node.id);
      if (body === undefined) return unknown(node, 'a heredoc without a body');
      return parts(body, !/^<<[~-]?'/.test(node.text));
    }
    case 'parenthesized_statements':
      return innerValue(node, evaluate);
    case 'binary': {
      if (node.childForFieldName('operator')?.text === '%') return unknown(node, 'string formatting with %');
      return fieldConcatenation(node, evaluate);
    }
    case 'identifier':
    case 'constant':
      return vars.resolve(node.text, node, evaluate);
    case 'call': {
      const method = node.childForFieldName('method')?.text;
      const receiver = node.childForFieldName('receiver');
      // `<<~SQL.squish` and `"…".strip`: whitespace does not matter to SQL.
      if (receiver && (method === 'squish' || method === 'strip' || method === 'freeze'))
        return evaluate(receiver);
      return unknown(node, method === 'format' ? 'string formatting' : 'a function call result');
    }
    default:
      return unknown(node, `built at run time (${node.type.replace(/_/g, ' ')})`);
  }
}

/** A string's or heredoc's content; `#{…}` makes it dynamic. */
function parts(node: Node, escapes: boolean): Value {
  const pieces: Piece[] = [];
  for (const part of node.namedChildren) {
    if (part === null) continue;
    if (part.type === 'string_content' || part.type === 'heredoc_content') {
      pieces.push({
        text: escapes ? unescapeC(part.text) : part.text.replace(/\\(['\\])/g, '$1'),
        at: part.startIndex,
      });
    } else if (part.type === 'escape_sequence') {
      pieces.push({ text: unescapeC(part.text), at: part.startIndex });
    } else if (part.type === 'interpolation') {
      return unknown(node, 'a string with #{} interpolation');
    }
  }
  return { pieces };
}
