/**
 * The SQL inside written TypeScript and Python migrations, read with each language's own parser
 * (the TypeScript compiler API, Python's ast module), exactly as the tool will receive it.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { mustRun, REPO_ROOT } from './run.js';

const ALEMBIC_OPS = join(REPO_ROOT, 'test/formats/write/support/alembic_ops.py');

/**
 * The string arguments of `pgm.sql(…)`, `knex.raw(…)` and `trx.raw(…)` calls, in source order.
 * Knex's own unescaping of `\?` is applied: that is the text PostgreSQL receives.
 */
export function tsStatements(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(file);
      const [arg] = node.arguments;
      if (['pgm.sql', 'knex.raw', 'trx.raw'].includes(callee)) {
        if (!arg || !ts.isStringLiteral(arg))
          throw new Error(`${fileName}: ${callee} without a string literal`);
        out.push(callee === 'pgm.sql' ? arg.text : knexText(arg.text));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** What knex's PostgreSQL client sends for raw SQL without bindings (Client_PG.positionBindings). */
export function knexText(sql: string): string {
  return sql.replace(/(\\*)(\?)/g, (match: string, escapes: string) => {
    if (escapes.length % 2 === 1) return '?';
    throw new Error(`knex would send ${match} as a bind parameter`);
  });
}

export interface AlembicOperation {
  /** The autocommit_block() the call sits in (numbered from 1), or null outside any. */
  block: number | null;
  sql: string;
}

export interface AlembicRevision {
  revision: string;
  upgrade: AlembicOperation[];
  downgrade: AlembicOperation[];
}

export async function alembicOperations(path: string): Promise<AlembicRevision> {
  const r = await mustRun('python3', [ALEMBIC_OPS, path]);
  return JSON.parse(r.stdout) as AlembicRevision;
}

const WORD = String.raw`[\p{L}\p{N}_$]`;
/** SQLAlchemy's compiler.BIND_PARAMS: a `:name` that text() sends as a bind parameter. */
const BIND_PARAMS = new RegExp(String.raw`(?<![:\p{L}\p{N}_$\\]):(${WORD}+)(?![:\p{L}\p{N}_$])`, 'u');
/** SQLAlchemy's compiler.BIND_PARAMS_ESC: `\:name` becomes `:name`. */
const BIND_PARAMS_ESC = new RegExp(String.raw`\\(:${WORD}*)(?![:\p{L}\p{N}_$])`, 'gu');

/**
 * What SQLAlchemy sends for `op.execute("…")`: the string goes through text(), where a `:name`
 * left unescaped would be a bind parameter without a value (an error), and `\:` stands for `:`.
 */
export function sqlalchemyText(sql: string): string {
  const bind = BIND_PARAMS.exec(sql);
  if (bind) throw new Error(`SQLAlchemy's text() would read ${bind[0]} as a bind parameter in: ${sql}`);
  return sql.replace(BIND_PARAMS_ESC, '$1');
}
