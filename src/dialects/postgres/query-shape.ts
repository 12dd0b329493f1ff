/**
 * The shape of a query another service runs (core/dialect/query-shape.ts), read with
 * PostgreSQL's own parser: the table an INSERT/UPDATE/DELETE/MERGE writes, the columns it names,
 * whether the result is `*`, the tables named (CTE names left out) and the string literals.
 */
import type { RangeVar } from '@pgsql/types';
import type { QueryShape } from '../../core/dialect/query-shape.js';
import { as, nodeType, rangeVarName, walk } from './ast.js';
import { parsePostgres } from './parser.js';

interface ResTarget {
  name?: string;
  val?: unknown;
}
interface Statement {
  relation?: RangeVar;
  cols?: { ResTarget?: ResTarget }[];
  targetList?: { ResTarget?: ResTarget }[];
  /** `returningList` up to PostgreSQL 17's parser, `returningClause.exprs` from 18's. */
  returningList?: { ResTarget?: ResTarget }[];
  returningClause?: { exprs?: { ResTarget?: ResTarget }[] };
  selectStmt?: unknown;
  larg?: Statement;
  rarg?: Statement;
}

const WRITES: Record<string, QueryShape['kind']> = {
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

export function postgresQueryShape(sql: string, defaultSchema: string): QueryShape[] | null {
  let statements;
  try {
    statements = parsePostgres(sql, 'query').statements;
  } catch {
    return null;
  }
  return statements.map((s) => shapeOf(s.ast, defaultSchema));
}

function shapeOf(ast: unknown, defaultSchema: string): QueryShape {
  const type = nodeType(ast);
  const body = as<Statement>(ast, type) ?? {};
  const ctes = new Set<string>();
  // The written table is a bare RangeVar payload (not a `{ RangeVar }` node): the walk misses it.
  const relations: RangeVar[] = body.relation ? [body.relation] : [];
  const literals = new Set<string>();
  walk(ast, (nodeName, payload) => {
    if (nodeName === 'CommonTableExpr' && typeof payload['ctename'] === 'string')
      ctes.add(payload['ctename']);
    else if (nodeName === 'RangeVar') relations.push(payload as RangeVar);
    else if (nodeName === 'A_Const') {
      const value = as<{ sval?: string }>(payload, 'sval')?.sval;
      if (value !== undefined) literals.add(value);
    }
  });
  // A CTE is named by a bare RangeVar; a schema-qualified name is always a real relation.
  const tables = relations
    .filter((r) => r.schemaname || !ctes.has(r.relname ?? ''))
    .map((r) => rangeVarName(r, defaultSchema));
  const kind = WRITES[type] ?? (type === 'SelectStmt' ? 'select' : 'other');
  const write = kind !== 'select' && kind !== 'other';
  let columns: string[] | null = [];
  if (kind === 'insert') columns = body.cols ? body.cols.map((c) => c.ResTarget?.name ?? '') : null;
  if (kind === 'update') columns = (body.targetList ?? []).map((t) => t.ResTarget?.name ?? '');
  const insertSource = as<Statement>(body.selectStmt, 'SelectStmt');
  return {
    kind,
    table: write && body.relation ? rangeVarName(body.relation, defaultSchema) : null,
    columns,
    star:
      (kind === 'select' && selectStar(body)) ||
      hasStar(body.returningList ?? body.returningClause?.exprs) ||
      (insertSource !== undefined && selectStar(insertSource)),
    tables: [...new Set(tables)].sort(),
    literals: [...literals].sort(),
  };
}

/** `SELECT *` or `SELECT t.*` at the top of a select (either side of a UNION). */
function selectStar(select: Statement): boolean {
  if (select.larg || select.rarg) return selectStar(select.larg ?? {}) || selectStar(select.rarg ?? {});
  return hasStar(select.targetList);
}

function hasStar(list: { ResTarget?: ResTarget }[] | undefined): boolean {
  return (list ?? []).some((t) => {
    const fields = as<{ fields?: unknown[] }>(t.ResTarget?.val, 'ColumnRef')?.fields ?? [];
    return fields.some((f) => nodeType(f) === 'A_Star');
  });
}
