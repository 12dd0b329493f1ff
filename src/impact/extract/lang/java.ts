/**
 * Java: JDBC (`prepareStatement`, `prepareCall`, `executeQuery`, `executeUpdate`, `execute`,
 * `addBatch`), Spring `JdbcTemplate` and `NamedParameterJdbcTemplate` (`query`, `queryForObject`,
 * `queryForList`, `queryForMap`, `queryForRowSet`, `update`, `batchUpdate`), JPA's
 * `createNativeQuery` and `@Query(value = "…", nativeQuery = true)`. A `@Query` without
 * nativeQuery is JPQL, not SQL: listed as not checked (Spring Data JDBC's `@Query`, imported from
 * its own package, is SQL). Text blocks, `+` concatenation and `final` fields are resolved.
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

const FUNCTIONS = new Set(['method_declaration', 'constructor_declaration', 'lambda_expression']);

/** JDBC `?`, JPA `?1` and `:name`, Spring's named parameters `:name`. */
export const JDBC: PlaceholderStyles = { question: true, colon: true };

/** Method names that take SQL first; `true`: the name is common outside JDBC, so non-SQL text is skipped. */
export const JDBC_METHODS: Record<string, boolean> = {
  prepareStatement: false,
  prepareCall: false,
  executeQuery: false,
  executeUpdate: false,
  executeLargeUpdate: false,
  execute: true,
  addBatch: true,
  query: true,
  queryForObject: false,
  queryForList: false,
  queryForMap: false,
  queryForRowSet: false,
  queryForStream: false,
  update: true,
  batchUpdate: true,
  createNativeQuery: false,
};

export function extractJava(tree: Tree, ctx: FileContext): void {
  const vars = new Assignments(FUNCTIONS);
  for (const n of walk(tree.rootNode)) {
    if (n.type === 'variable_declarator') {
      const name = n.childForFieldName('name');
      if (name !== null) vars.add(name.text, n.childForFieldName('value'), n);
    } else if (n.type === 'assignment_expression') {
      const left = n.childForFieldName('left');
      const name = left?.type === 'field_access' ? left.childForFieldName('field') : left;
      if (name?.type === 'identifier')
        vars.add(name.text, n.child(1)?.text === '=' ? n.childForFieldName('right') : null, n);
    }
  }
  const evaluate = (node: Node): Value => value(node, vars, evaluate);
  const springJdbcQuery = /import\s+org\.springframework\.data\.jdbc\.repository\.query\.Query\s*;/.test(
    ctx.text,
  );

  for (const n of walk(tree.rootNode)) {
    if (n.type === 'annotation' && n.childForFieldName('name')?.text.replace(/^.*\./, '') === 'Query') {
      annotation(n, ctx, evaluate, springJdbcQuery);
      continue;
    }
    if (n.type !== 'method_invocation') continue;
    const name = n.childForFieldName('name')?.text ?? '';
    const ambiguous = JDBC_METHODS[name];
    if (ambiguous === undefined) continue;
    const first = n
      .childForFieldName('arguments')
      ?.namedChildren.find((a) => a !== null && !/comment/.test(a.type));
    if (first === undefined || first === null) continue;
    const object = n.childForFieldName('object')?.text;
    ctx.add(evaluate(first), object === undefined ? name : `${object}.${name}`, JDBC, ambiguous);
  }
}

/** `@Query("…")`, `@Query(value = "…", nativeQuery = true)`. */
function annotation(node: Node, ctx: FileContext, evaluate: (n: Node) => Value, sql: boolean): void {
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  let text: Node | null = null;
  let native = sql;
  for (const arg of args) {
    if (arg === null) continue;
    if (arg.type !== 'element_value_pair') text ??= arg;
    const key = arg.childForFieldName('key')?.text;
    if (key === 'value') text = arg.childForFieldName('value');
    if (key === 'nativeQuery') native = arg.childForFieldName('value')?.text === 'true';
  }
  if (text === null) return;
  if (!native) ctx.notCheckedAt(text.startIndex, '@Query', 'JPQL (no nativeQuery = true), not SQL');
  else ctx.add(evaluate(text), '@Query', JDBC);
}

function value(node: Node, vars: Assignments, evaluate: (n: Node) => Value): Value {
  switch (node.type) {
    case 'string_literal': {
      if (node.namedChildren.some((c) => c?.type === 'string_interpolation'))
        return unknown(node, 'a string template');
      const quote = node.text.startsWith('"""') ? 3 : 1;
      return literal(unescapeC(node.text.slice(quote, -quote)), node.startIndex + quote);
    }
    case 'parenthesized_expression':
      return innerValue(node, evaluate);
    case 'binary_expression':
      return fieldConcatenation(node, evaluate);
    case 'identifier':
      return vars.resolve(node.text, node, evaluate);
    case 'field_access': {
      const field = node.childForFieldName('field');
      const object = node.childForFieldName('object')?.text ?? '';
      return field !== null && /^(this|[A-Z]\w*)$/.test(object)
        ? vars.resolve(field.text, node, evaluate)
        : unknown(node, `built from ${node.text}`);
    }
    case 'method_invocation':
      return unknown(
        node,
        /format|formatted/.test(node.childForFieldName('name')?.text ?? '')
          ? 'string formatting'
          : 'a function call result',
      );
    default:
      return unknown(node, `built at run time (${node.type.replace(/_/g, ' ')})`);
  }
}
