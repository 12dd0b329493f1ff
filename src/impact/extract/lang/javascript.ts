/**
 * TypeScript and JavaScript: `pg`'s `query` (a string, or a `{ text }` config), postgres.js,
 * Slonik and Drizzle `sql` tagged templates (each `${expr}` a parameter, a nested `sql` fragment
 * inlined), `knex.raw`, Prisma's `$queryRaw`/`$executeRaw` templates and `…Unsafe` calls,
 * TypeORM and Sequelize `query`, mysql/mysql2 `query` and `execute`. A tagged template is one query wherever it is; a call whose
 * argument is such a template does not count it twice.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { PlaceholderStyles } from '../sql-text.js';
import type { FileContext } from '../common.js';
import {
  Assignments,
  fieldConcatenation,
  innerValue,
  lastName,
  literal,
  unescapeC,
  unknown,
  walk,
  type Piece,
  type Value,
} from '../common.js';

const FUNCTIONS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
]);

/** Template tags that make a query: `sql`, `Prisma.sql`, `prisma.$queryRaw`, `db.$executeRaw`. */
const TAGS = /^(([\w$]+\.)*sql|sql\.(unsafe|typeAlias)|([\w$]+\.)+\$(queryRaw|executeRaw))$/;
/** Tags whose template may be a fragment (`AND x = ${y}`) rather than a whole query. */
const FRAGMENT_TAGS = /^(Prisma\.sql|sql\.fragment)$/;

const PG: PlaceholderStyles = {};
/**
 * knex binds `?` and `:name`; Sequelize `?`, `:name` and `$1`; TypeORM the driver's own;
 * mysql/mysql2 `query` and mysql2 `execute` (a server-side prepared statement) `?`, and `:name`
 * with `namedPlaceholders`.
 */
const CALLS: Record<string, { styles: PlaceholderStyles; ambiguous: boolean; arg?: 'config' }> = {
  query: { styles: { question: true, colon: true }, ambiguous: true, arg: 'config' },
  execute: { styles: { question: true, colon: true }, ambiguous: true, arg: 'config' },
  raw: { styles: { question: true, colon: true }, ambiguous: true },
  $queryRaw: { styles: PG, ambiguous: false },
  $executeRaw: { styles: PG, ambiguous: false },
  $queryRawUnsafe: { styles: PG, ambiguous: false },
  $executeRawUnsafe: { styles: PG, ambiguous: false },
  unsafe: { styles: PG, ambiguous: true },
};

export function extractJavaScript(tree: Tree, ctx: FileContext): void {
  const vars = new Assignments(FUNCTIONS);
  for (const n of walk(tree.rootNode)) {
    if (n.type === 'variable_declarator') {
      const name = n.childForFieldName('name');
      if (name?.type === 'identifier') vars.add(name.text, n.childForFieldName('value'), n);
    } else if (n.type === 'assignment_expression' || n.type === 'augmented_assignment_expression') {
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier') vars.add(left.text, n.childForFieldName('right'), n);
    }
  }
  const evaluate = (node: Node): Value => value(node, vars, evaluate);

  for (const n of walk(tree.rootNode)) {
    if (n.type !== 'call_expression') continue;
    const fn = n.childForFieldName('function');
    const args = n.childForFieldName('arguments');
    if (fn === null || args === null) continue;
    const name = lastName(fn.text);
    if (args.type === 'template_string') {
      if (!TAGS.test(fn.text) || insideTemplate(n)) continue;
      ctx.add(template(args, ctx.text), `${fn.text}\`\``, PG, FRAGMENT_TAGS.test(fn.text));
      continue;
    }
    const call = fn.type === 'member_expression' ? CALLS[name] : undefined;
    if (call === undefined) continue;
    const first = args.namedChildren.find((a) => a !== null && a.type !== 'comment') ?? null;
    if (first === null) continue;
    // `prisma.$queryRaw(Prisma.sql\`…\`)`, `pool.query(sql\`…\`)`: the template is the query, counted as one.
    if (first.type === 'call_expression' && first.childForFieldName('arguments')?.type === 'template_string')
      continue;
    const sql = call.arg === 'config' && first.type === 'object' ? configText(first) : first;
    if (sql === null) continue;
    ctx.add(evaluate(sql), fn.text, call.styles, call.ambiguous && !looksDatabase(fn.text));
  }
}

/** `db.query`, `pool.query`, `client.query`: receivers whose name says they are a database. */
function looksDatabase(callee: string): boolean {
  return /(^|\.)(db|pool|client|conn|connection|pg|knex|sequelize|dataSource|manager|queryRunner|prisma|tx|trx)\.[\w$]+$/i.test(
    callee,
  );
}

/** `{ text: '…', values }` of pg's query config; `{ sql }` of mysql-style drivers. */
function configText(object: Node): Node | null {
  for (const pair of object.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const key = pair.childForFieldName('key')?.text.replace(/['"]/g, '');
    if (key === 'text' || key === 'sql') return pair.childForFieldName('value');
  }
  return null;
}

/** A tagged template nested in another's `${}` is part of that query, not one of its own. */
function insideTemplate(call: Node): boolean {
  for (let p = call.parent; p !== null; p = p.parent) if (p.type === 'template_substitution') return true;
  return false;
}

function value(node: Node, vars: Assignments, evaluate: (n: Node) => Value): Value {
  switch (node.type) {
    case 'string':
      return literal(unescapeC(node.text.slice(1, -1)), node.startIndex + 1);
    case 'template_string':
      return node.namedChildren.some((c) => c?.type === 'template_substitution')
        ? unknown(node, 'a template string with interpolated values')
        : literal(unescapeC(node.text.slice(1, -1)), node.startIndex + 1);
    case 'parenthesized_expression':
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression':
      return innerValue(node, evaluate);
    case 'binary_expression':
      return fieldConcatenation(node, evaluate);
    case 'identifier':
      return vars.resolve(node.text, node, evaluate);
    case 'call_expression':
      return unknown(node, 'a function call result');
    default:
      return unknown(node, `built at run time (${node.type.replace(/_/g, ' ')})`);
  }
}

/** A tagged template: literal parts joined, each `${expr}` a parameter, a nested `sql` inlined. */
function template(node: Node, source: string): Value {
  const pieces: Piece[] = [];
  let at = node.startIndex + 1;
  for (const child of node.namedChildren) {
    if (child?.type !== 'template_substitution') continue;
    if (child.startIndex > at) pieces.push({ text: unescapeC(source.slice(at, child.startIndex)), at });
    at = child.endIndex;
    const expr = child.namedChild(0);
    const inner = expr?.type === 'call_expression' ? expr.childForFieldName('arguments') : null;
    const tag = expr?.type === 'call_expression' ? (expr.childForFieldName('function')?.text ?? '') : '';
    if (inner?.type === 'template_string' && (TAGS.test(tag) || FRAGMENT_TAGS.test(tag))) {
      const nested = template(inner, source);
      if ('reason' in nested) return nested;
      pieces.push(...nested.pieces);
    } else if (expr !== null && /(^|\.)(sql|raw|join|unsafe|identifier)(\.|$)/.test(tag)) {
      return unknown(expr, `a dynamic SQL fragment (${tag})`);
    } else {
      pieces.push({ param: true, at: child.startIndex });
    }
  }
  const end = node.endIndex - 1;
  if (end > at) pieces.push({ text: unescapeC(source.slice(at, end)), at });
  return { pieces };
}
