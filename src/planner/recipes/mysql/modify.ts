/**
 * MODIFY (and CHANGE without a rename) restates a whole column: the recipes compare it with the
 * catalog to find what really changes. A type change that would copy a large table goes through
 * expand/contract when no online schema change tool is configured (type-change.ts; with one,
 * the tool's step, action.ts); NULL → NOT NULL goes through not-null.ts. The rest is one pinned
 * step (action.ts).
 */
import type { Change } from '../../../core/change.js';
import type { Column } from '../../../core/snapshot.js';
import type { RecipeContext, RecipeResult } from '../../types.js';
import { clauseOnline, isLarge, onlineSql } from './common.js';
import { notNullSteps } from './not-null.js';
import { typeChangeSteps } from './type-change.js';

type Retype = Extract<Change, { kind: 'alter column type' }>;

export function modifyColumn(ctx: RecipeContext, table: string, action: number): RecipeResult | null {
  const online = onlineSql(ctx);
  const changes = ctx.clause.changes;
  const retype = changes[0];
  if (retype?.kind !== 'alter column type') return null;
  const clause = online.columnClause(ctx.statementAst, action);
  const t = ctx.table(table);
  const old = t?.columns.find((c) => c.name === retype.column);
  if (!clause || !t || !old) return null;
  const measured = clauseOnline(ctx.clause.facts);
  if (retypes(ctx, old, retype)) {
    const copies = measured ? measured.algorithm === 'COPY' || measured.blocksWrites : true;
    // Online as measured, small, or a tool configured: one step (pinned, or the tool's).
    if (!copies || !isLarge(ctx, table) || ctx.config.mysql.onlineSchemaChange !== 'none') return null;
    return typeChangeSteps(ctx, table, t, old, clause);
  }
  if (old.nullable && changes.some((c) => c.kind === 'set not null'))
    return notNullSteps(ctx, table, t, old, clause);
  return null;
}

function retypes(ctx: RecipeContext, old: Column, change: Retype): boolean {
  return (
    !onlineSql(ctx).sameType(old.type, change.type.sql) ||
    (change.collation !== null && change.collation !== old.collation)
  );
}
