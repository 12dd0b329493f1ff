/**
 * What the statement families of lowering share: the shape of a family's entries, and the
 * helpers more than one family uses.
 */
import type { RangeVar } from '@pgsql/types';
import type { Change } from '../../../core/change.js';
import { rangeVarName, walk } from '../ast.js';
import type { LowerContext } from '../lower-table.js';

/** Lowers one statement node's body (the payload under its node type) to its Changes. */
export type Lowerer = (body: Record<string, unknown>, ctx: LowerContext) => Change[];

/** A family's entries: parser node type → its lowerer. */
export type Lowerers = Record<string, Lowerer>;

/** A Lowerer over the node's own type, returning one Change or several. */
export function lowerer<T>(lower: (stmt: T, ctx: LowerContext) => Change | Change[]): Lowerer {
  return (body, ctx) => {
    const out = lower(body as T, ctx);
    return Array.isArray(out) ? out : [out];
  };
}

/** The qualified name of a RangeVar, the default schema filled in. */
export function relationName(r: RangeVar | undefined, ctx: LowerContext): string {
  return rangeVarName(r, ctx.defaultSchema);
}

/** `OBJECT_FOREIGN_TABLE` → `foreign table`. */
export function objectType(value: string | undefined): string {
  return (value ?? 'OBJECT_UNKNOWN').replace('OBJECT_', '').toLowerCase().replace(/_/g, ' ');
}

/** Tables and views a query reads (for view dependencies). */
export function relationsRead(query: unknown, ctx: LowerContext): string[] {
  const cteNames = new Set<string>();
  walk(query, (type, payload) => {
    if (type === 'CommonTableExpr' && typeof payload['ctename'] === 'string')
      cteNames.add(payload['ctename']);
  });
  const out = new Set<string>();
  walk(query, (type, payload) => {
    if (type !== 'RangeVar') return;
    const r = payload as RangeVar;
    if (!r.schemaname && r.relname && cteNames.has(r.relname)) return;
    out.add(rangeVarName(r, ctx.defaultSchema));
  });
  return [...out].sort();
}
