/**
 * Go: `database/sql` and sqlx (`Query`, `QueryRow`, `Exec`, their `Context` forms, sqlx's
 * `Queryx`, `QueryRowx`, `Get`, `Select`, `MustExec` and `Named*`) and pgx, whose methods take the
 * context first without saying so in the name. Raw (backtick) and interpreted strings, `+`
 * concatenation and package or local constants are resolved.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { PlaceholderStyles } from '../sql-text.js';
import type { FileContext } from '../common.js';
import {
  Assignments,
  fieldConcatenation,
  innerValue,
  literal,
  unescapeC,
  unknown,
  walk,
  type Value,
} from '../common.js';

const FUNCTIONS = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** lib/pq and pgx take `$1`; the MySQL driver and sqlx before Rebind take `?`. */
const POSITIONAL: PlaceholderStyles = { question: true };
const NAMED: PlaceholderStyles = { colon: true };

/** Method → the argument positions the SQL may be at (pgx puts ctx first in unsuffixed names). */
const METHODS: Record<string, { at: number[]; styles: PlaceholderStyles; ambiguous?: boolean }> = {
  Query: { at: [0, 1], styles: POSITIONAL },
  QueryRow: { at: [0, 1], styles: POSITIONAL },
  Exec: { at: [0, 1], styles: POSITIONAL },
  Queryx: { at: [0], styles: POSITIONAL },
  QueryRowx: { at: [0], styles: POSITIONAL },
  MustExec: { at: [0], styles: POSITIONAL },
  Prepare: { at: [0], styles: POSITIONAL },
  Preparex: { at: [0], styles: POSITIONAL },
  QueryContext: { at: [1], styles: POSITIONAL },
  QueryRowContext: { at: [1], styles: POSITIONAL },
  ExecContext: { at: [1], styles: POSITIONAL },
  QueryxContext: { at: [1], styles: POSITIONAL },
  QueryRowxContext: { at: [1], styles: POSITIONAL },
  MustExecContext: { at: [1], styles: POSITIONAL },
  PrepareContext: { at: [1], styles: POSITIONAL },
  Get: { at: [1], styles: POSITIONAL, ambiguous: true },
  Select: { at: [1], styles: POSITIONAL, ambiguous: true },
  GetContext: { at: [2], styles: POSITIONAL },
  SelectContext: { at: [2], styles: POSITIONAL },
  NamedExec: { at: [0], styles: NAMED },
  NamedQuery: { at: [0], styles: NAMED },
  NamedExecContext: { at: [1], styles: NAMED },
  NamedQueryContext: { at: [1], styles: NAMED },
};

export function extractGo(tree: Tree, ctx: FileContext): void {
  const vars = new Assignments(FUNCTIONS);
  for (const n of walk(tree.rootNode)) {
    if (n.type === 'const_spec' || n.type === 'var_spec') {
      const names = n.childrenForFieldName('name').filter((c) => c?.type === 'identifier');
      const values = n.childForFieldName('value')?.namedChildren ?? [];
      names.forEach((name, i) => name && vars.add(name.text, values[i] ?? null, n));
    } else if (n.type === 'short_var_declaration' || n.type === 'assignment_statement') {
      const left = n.childForFieldName('left')?.namedChildren ?? [];
      const right = n.childForFieldName('right')?.namedChildren ?? [];
      const op = n.type === 'assignment_statement' ? n.child(1)?.text : ':=';
      left.forEach((name, i) => {
        if (name?.type === 'identifier' && name.text !== '_')
          vars.add(
            name.text,
            op === '=' || op === ':=' ? (left.length === right.length ? (right[i] ?? null) : null) : null,
            n,
          );
      });
    }
  }
  const evaluate = (node: Node): Value => value(node, vars, evaluate);

  for (const n of walk(tree.rootNode)) {
    if (n.type !== 'call_expression') continue;
    const fn = n.childForFieldName('function');
    if (fn?.type !== 'selector_expression') continue;
    const method = METHODS[fn.childForFieldName('field')?.text ?? ''];
    if (method === undefined) continue;
    const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter(
      (a) => a !== null && a.type !== 'comment',
    );
    // sqlx Get/Select take a destination pointer first; without one it is another library's Get.
    if (method.ambiguous && args[0]?.type !== 'unary_expression') continue;
    const candidates = method.at.map((i) => args[i]).filter((a): a is Node => a !== undefined && a !== null);
    if (candidates.length === 0) continue;
    const resolved = candidates.map(evaluate);
    const found =
      resolved.find((v) => !('reason' in v)) ??
      resolved[resolved.length === 1 ? 0 : looksLikeContext(candidates[0]) ? 1 : 0];
    if (found !== undefined) ctx.add(found, fn.text, method.styles);
  }
}

/** `ctx`, `r.Context()`, `context.Background()`: the pgx-style first argument, not the SQL. */
function looksLikeContext(node: Node | undefined): boolean {
  return node !== undefined && /(^ctx$|Ctx$|Context\(\)$|^context\.)/.test(node.text);
}

function value(node: Node, vars: Assignments, evaluate: (n: Node) => Value): Value {
  switch (node.type) {
    case 'raw_string_literal':
      return literal(node.text.slice(1, -1).replace(/\r/g, ''), node.startIndex + 1);
    case 'interpreted_string_literal':
      return literal(unescapeC(node.text.slice(1, -1)), node.startIndex + 1);
    case 'parenthesized_expression':
      return innerValue(node, evaluate);
    case 'binary_expression':
      return fieldConcatenation(node, evaluate);
    case 'identifier':
      return vars.resolve(node.text, node, evaluate);
    case 'call_expression':
      return unknown(
        node,
        /^fmt\.Sprintf$/.test(node.childForFieldName('function')?.text ?? '')
          ? 'string formatting with fmt.Sprintf'
          : 'a function call result',
      );
    default:
      return unknown(node, `built at run time (${node.type.replace(/_/g, ' ')})`);
  }
}
