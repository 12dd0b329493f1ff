/**
 * Lowering: one parsed statement → the Changes it makes. Each statement family has its file in
 * ./lowering (tables and indexes, other objects, rows, session, maintenance), each a table from
 * parser node type to lowerer; this file only dispatches. Anything not modelled becomes
 * `{ kind: 'unknown' }`, which analysis reports: a statement is never silently passed.
 */
import type { Change } from '../../core/change.js';
import { as, nodeType } from './ast.js';
import type { LowerContext } from './lower-table.js';
import type { Lowerer } from './lowering/common.js';
import { DML_LOWERERS } from './lowering/dml.js';
import { MAINTENANCE_LOWERERS } from './lowering/maintenance.js';
import { OBJECT_LOWERERS } from './lowering/objects.js';
import { RELATION_LOWERERS } from './lowering/relations.js';
import { SESSION_LOWERERS } from './lowering/session.js';
import { statementWords } from './statement-names.js';

export type { LowerContext } from './lower-table.js';
export { durationMs } from './lowering/session.js';

// A Map, not an object: a node type is never looked up among Object.prototype's names.
const LOWERERS = new Map<string, Lowerer>(
  Object.entries({
    ...RELATION_LOWERERS,
    ...OBJECT_LOWERERS,
    ...DML_LOWERERS,
    ...SESSION_LOWERERS,
    ...MAINTENANCE_LOWERERS,
  }),
);

export function lowerStatement(ast: unknown, ctx: LowerContext): Change[] {
  const type = nodeType(ast);
  const body = as<Record<string, unknown>>(ast, type) ?? {};
  const lower = LOWERERS.get(type);
  return lower ? lower(body, ctx) : [{ kind: 'unknown', statementType: statementWords(type, body) }];
}
