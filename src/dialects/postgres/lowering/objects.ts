/**
 * Objects other than tables: types (enums, domains, composite types), sequences, triggers,
 * schemas, extensions, functions, policies, comments, grants, databases.
 */
import type {
  AlterDomainStmt,
  AlterEnumStmt,
  CreateDomainStmt,
  CreateEnumStmt,
  CreateSeqStmt,
  CreateTrigStmt,
  DefElem,
  DropdbStmt,
  GrantStmt,
  Node,
  RangeVar,
} from '@pgsql/types';
import type { Change } from '../../../core/change.js';
import { as, deparse, listName, names, nodeType, str } from '../ast.js';
import type { LowerContext } from '../lower-table.js';
import { lowerer, objectType, relationName, type Lowerers } from './common.js';

const RELATION_OBJECTS = new Set(['table', 'view', 'matview', 'index', 'sequence', 'foreign table']);

export const OBJECT_LOWERERS: Lowerers = {
  CreateEnumStmt: lowerer<CreateEnumStmt>((s, ctx) => ({
    kind: 'create enum',
    type: listName(names(s.typeName), ctx.defaultSchema),
    values: (s.vals ?? []).map(str),
  })),
  AlterEnumStmt: lowerer<AlterEnumStmt>(lowerAlterEnum),
  CreateTrigStmt: lowerer<CreateTrigStmt>((s, ctx) => ({
    kind: 'create trigger',
    table: relationName(s.relation, ctx),
    name: s.trigname ?? '',
  })),
  CreateSeqStmt: lowerer<CreateSeqStmt>((s, ctx) => ({
    kind: 'create sequence',
    sequence: relationName(s.sequence, ctx),
  })),
  CreateDomainStmt: lowerer<CreateDomainStmt>((s, ctx) => {
    const hasCheck = (s.constraints ?? []).some(
      (c) => as<{ contype?: string }>(c, 'Constraint')?.contype === 'CONSTR_CHECK',
    );
    return { kind: 'create domain', domain: listName(names(s.domainname), ctx.defaultSchema), hasCheck };
  }),
  AlterDomainStmt: lowerer<AlterDomainStmt>((s, ctx) => {
    const c = as<{ contype?: string; skip_validation?: boolean }>(s.def, 'Constraint');
    return {
      kind: 'alter domain',
      domain: listName(names(s.typeName), ctx.defaultSchema),
      addsCheck: s.subtype === 'C' && c?.contype === 'CONSTR_CHECK',
      notValid: c?.skip_validation ?? false,
    };
  }),
  CommentStmt: lowerer<{ objtype?: string; object?: Node }>((s, ctx) => {
    const parts = names(as<{ items?: Node[] }>(s.object, 'List')?.items);
    const type = objectType(s.objtype);
    // Relations are named by a list of names; a column's list ends with the column.
    const relation = RELATION_OBJECTS.has(type) ? parts : type === 'column' ? parts.slice(0, -1) : [];
    const table = relation.length > 0 ? listName(relation, ctx.defaultSchema) : null;
    return { kind: 'comment', objectType: type, target: parts.join('.') || deparse(s.object), table };
  }),
  GrantStmt: lowerer<GrantStmt>((s, ctx) => {
    const rv = (r: RangeVar | undefined) => relationName(r, ctx);
    const objects = (s.objects ?? []).map((o) =>
      nodeType(o) === 'RangeVar' ? rv(as(o, 'RangeVar')) : deparse(o),
    );
    // Tables, views and sequences are named by RangeVars; ALL TABLES IN SCHEMA names schemas.
    const relations =
      s.targtype === 'ACL_TARGET_OBJECT'
        ? (s.objects ?? []).flatMap((o) => (nodeType(o) === 'RangeVar' ? [rv(as(o, 'RangeVar'))] : []))
        : [];
    return { kind: 'grant', objects, relations };
  }),
  DropdbStmt: lowerer<DropdbStmt>((s) => {
    const force = (s.options ?? []).some((o) => as<DefElem>(o, 'DefElem')?.defname === 'force');
    return { kind: 'drop database', database: s.dbname ?? '', ifExists: s.missing_ok ?? false, force };
  }),
  CreateSchemaStmt: lowerer<{ schemaname?: string }>((s) => ({
    kind: 'create other',
    objectType: 'schema',
    name: s.schemaname ?? '',
  })),
  CreateExtensionStmt: lowerer<{ extname?: string }>((s) => ({
    kind: 'create other',
    objectType: 'extension',
    name: s.extname ?? '',
  })),
  CreateFunctionStmt: lowerer<{ is_procedure?: boolean; funcname?: Node[] }>((s) => ({
    kind: 'create other',
    objectType: s.is_procedure ? 'procedure' : 'function',
    name: names(s.funcname).join('.'),
  })),
  CreatePolicyStmt: lowerer<{ policy_name?: string }>((s) => ({
    kind: 'create other',
    objectType: 'policy',
    name: s.policy_name ?? '',
  })),
  CompositeTypeStmt: lowerer<{ typevar?: RangeVar }>((s, ctx) => ({
    kind: 'create other',
    objectType: 'type',
    name: relationName(s.typevar, ctx),
  })),
};

function lowerAlterEnum(s: AlterEnumStmt, ctx: LowerContext): Change {
  const type = listName(names(s.typeName), ctx.defaultSchema);
  if (s.oldVal !== undefined)
    return { kind: 'rename enum value', type, value: s.oldVal, newValue: s.newVal ?? '' };
  return {
    kind: 'add enum value',
    type,
    value: s.newVal ?? '',
    before: s.newValNeighbor !== undefined && !s.newValIsAfter ? s.newValNeighbor : null,
    after: s.newValNeighbor !== undefined && s.newValIsAfter ? s.newValNeighbor : null,
    ifNotExists: s.skipIfNewValExists ?? false,
  };
}
