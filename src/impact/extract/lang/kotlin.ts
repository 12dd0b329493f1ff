/**
 * Kotlin: the same JDBC, Spring JdbcTemplate and JPA calls as Java (lang/java.ts), on Kotlin's
 * syntax: raw strings (`"""…"""` with `.trimIndent()`/`.trimMargin()`), `+` concatenation,
 * `const val`/`val` properties, and string templates whose parts are all literal (`${"$"}1`).
 * A template with a value (`$id`, `${x}`) is built at run time: unresolved.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { FileContext } from '../common.js';
import {
  Assignments,
  concatenation,
  innerValue,
  unescapeC,
  unknown,
  walk,
  type Piece,
  type Value,
} from '../common.js';
import { JDBC, JDBC_METHODS } from './java.js';

const FUNCTIONS = new Set([
  'function_declaration',
  'lambda_literal',
  'anonymous_function',
  'secondary_constructor',
]);

export function extractKotlin(tree: Tree, ctx: FileContext): void {
  const vars = new Assignments(FUNCTIONS);
  for (const n of walk(tree.rootNode)) {
    if (n.type === 'property_declaration') {
      const decl = n.namedChildren.find((c) => c?.type === 'variable_declaration');
      const name = decl?.namedChildren.find((c) => c?.type === 'simple_identifier');
      if (decl === undefined || decl === null || name === undefined || name === null) continue;
      const value = decl.nextNamedSibling;
      const mutable = n.namedChildren.some((c) => c?.type === 'binding_pattern_kind' && c.text === 'var');
      vars.add(name.text, value, n);
      if (mutable && value === null) vars.add(name.text, null, n);
    } else if (n.type === 'assignment') {
      const target = n.namedChild(0);
      const name = target?.namedChildren.at(-1);
      if (name?.type === 'simple_identifier') vars.add(name.text, null, n);
    }
  }
  const evaluate = (node: Node): Value => value(node, vars, evaluate);

  for (const n of walk(tree.rootNode)) {
    if (n.type === 'annotation') {
      const invocation = n.namedChildren.find((c) => c?.type === 'constructor_invocation');
      const type = invocation?.namedChildren.find((c) => c?.type === 'user_type')?.text.replace(/^.*\./, '');
      if (invocation && type === 'Query') annotation(invocation, ctx, evaluate);
      continue;
    }
    if (n.type !== 'call_expression') continue;
    const callee = n.namedChild(0);
    if (callee?.type !== 'navigation_expression') continue;
    const name = callee.namedChildren.at(-1)?.namedChildren.at(-1)?.text ?? '';
    const ambiguous = JDBC_METHODS[name];
    if (ambiguous === undefined) continue;
    const args = n.namedChildren
      .find((c) => c?.type === 'call_suffix')
      ?.namedChildren.find((c) => c?.type === 'value_arguments');
    const first = args?.namedChildren.find((c) => c?.type === 'value_argument');
    const expr = first?.namedChildren.at(-1);
    if (expr === undefined || expr === null) continue;
    ctx.add(evaluate(expr), callee.text.replace(/\s+/g, ''), JDBC, ambiguous);
  }
}

/** `@Query(value = "…", nativeQuery = true)`; without nativeQuery it is JPQL. */
function annotation(invocation: Node, ctx: FileContext, evaluate: (n: Node) => Value): void {
  const args = invocation.namedChildren.find((c) => c?.type === 'value_arguments')?.namedChildren ?? [];
  let text: Node | null = null;
  let native = false;
  for (const arg of args) {
    if (arg?.type !== 'value_argument') continue;
    const parts = arg.namedChildren.filter((c): c is Node => c !== null);
    const key = parts.length > 1 && parts[0]?.type === 'simple_identifier' ? parts[0].text : null;
    const expr = parts.at(-1) ?? null;
    if (key === null || key === 'value') text ??= expr;
    if (key === 'nativeQuery') native = expr?.text === 'true';
  }
  if (text === null) return;
  if (!native) ctx.notCheckedAt(text.startIndex, '@Query', 'JPQL (no nativeQuery = true), not SQL');
  else ctx.add(evaluate(text), '@Query', JDBC);
}

function value(node: Node, vars: Assignments, evaluate: (n: Node) => Value): Value {
  switch (node.type) {
    case 'string_literal':
      return template(node, evaluate);
    case 'parenthesized_expression':
      return innerValue(node, evaluate);
    case 'additive_expression':
      return concatenation(node, evaluate, node.child(1)?.text, node.namedChild(0), node.namedChild(1));
    case 'simple_identifier':
      return vars.resolve(node.text, node, evaluate);
    case 'call_expression': {
      // """…""".trimIndent() and .trimMargin(): indentation does not matter to SQL, margins do.
      const callee = node.namedChild(0);
      const method = callee?.namedChildren.at(-1)?.namedChildren.at(-1)?.text;
      const receiver = callee?.type === 'navigation_expression' ? callee.namedChild(0) : null;
      if (receiver && (method === 'trimIndent' || method === 'trimMargin')) {
        const inner = evaluate(receiver);
        if ('reason' in inner || method === 'trimIndent') return inner;
        return {
          pieces: inner.pieces.map((p) =>
            'text' in p ? { ...p, text: p.text.replace(/(^|\n)[ \t]*\|/g, '$1 ') } : p,
          ),
        };
      }
      return unknown(node, /format/.test(method ?? '') ? 'string formatting' : 'a function call result');
    }
    default:
      return unknown(node, `built at run time (${node.type.replace(/_/g, ' ')})`);
  }
}

/** A string literal's parts; a `${…}` holding only a literal (`${"$"}`) is that literal. */
function template(node: Node, evaluate: (n: Node) => Value): Value {
  const raw = node.text.startsWith('"""');
  const pieces: Piece[] = [];
  for (const part of node.namedChildren) {
    if (part === null) continue;
    if (part.type === 'string_content') {
      pieces.push({ text: raw ? part.text : unescapeC(part.text), at: part.startIndex });
    } else if (part.type === 'interpolated_expression' && part.namedChild(0)?.type === 'string_literal') {
      const inner = evaluate(part.namedChild(0) as Node);
      if ('reason' in inner) return inner;
      pieces.push(...inner.pieces);
    } else if (part.type === 'character_escape_seq' || part.type === 'escape_sequence') {
      pieces.push({ text: unescapeC(part.text), at: part.startIndex });
    } else {
      return unknown(node, 'a string template with values');
    }
  }
  return { pieces: pieces.length > 0 ? pieces : [{ text: '', at: node.startIndex + (raw ? 3 : 1) }] };
}
