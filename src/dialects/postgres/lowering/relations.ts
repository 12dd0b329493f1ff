/**
 * Tables, views and indexes: create, alter, drop, rename, move between schemas.
 */
import type {
  AlterTableStmt,
  CreateStmt,
  CreateTableAsStmt,
  DropStmt,
  IndexElem,
  IndexStmt,
  Node,
  RangeVar,
  RenameStmt,
  ViewStmt,
} from '@pgsql/types';
import type { Change } from '../../../core/change.js';
import { as, deparse, listName, names, rangeVarName, str } from '../ast.js';
import { lowerAlterTable, lowerCreateTable, type LowerContext } from '../lower-table.js';
import { objectWords } from '../statement-names.js';
import { lowerer, objectType, relationName, relationsRead, type Lowerers } from './common.js';

export const RELATION_LOWERERS: Lowerers = {
  AlterTableStmt: lowerer<AlterTableStmt>(lowerAlterTable),
  CreateStmt: lowerer<CreateStmt>(lowerCreateTable),
  CreateTableAsStmt: lowerer<CreateTableAsStmt>(lowerCreateTableAs),
  IndexStmt: lowerer<IndexStmt>(lowerIndex),
  DropStmt: lowerer<DropStmt>(lowerDrop),
  RenameStmt: lowerer<RenameStmt>(lowerRename),
  ViewStmt: lowerer<ViewStmt>((s, ctx) => ({
    kind: 'create view',
    view: relationName(s.view, ctx),
    materialized: false,
    orReplace: s.replace ?? false,
    reads: relationsRead(s.query, ctx),
  })),
  AlterObjectSchemaStmt: lowerer<{
    objectType?: string;
    relation?: RangeVar;
    newschema?: string;
    object?: Node;
  }>((s, ctx) => ({
    kind: 'set schema',
    table: s.relation ? relationName(s.relation, ctx) : deparse(s.object),
    newSchema: s.newschema ?? '',
    objectType: objectType(s.objectType),
  })),
};

export function lowerCreateTableAs(s: CreateTableAsStmt, ctx: LowerContext): Change {
  const name = rangeVarName(s.into?.rel, ctx.defaultSchema);
  if (s.objtype === 'OBJECT_MATVIEW') {
    return {
      kind: 'create view',
      view: name,
      materialized: true,
      orReplace: false,
      reads: relationsRead(s.query, ctx),
    };
  }
  const persistence = s.into?.rel?.relpersistence;
  return {
    kind: 'create table',
    table: name,
    columns: [],
    constraints: [],
    ifNotExists: s.if_not_exists ?? false,
    partitionOf: null,
    partitioned: false,
    asSelect: true,
    withData: s.into?.skipData !== true,
    reads: relationsRead(s.query, ctx),
    unlogged: persistence === 'u',
    temporary: persistence === 't',
  };
}

function lowerIndex(s: IndexStmt, ctx: LowerContext): Change {
  const elements = (s.indexParams ?? []).map((p) => as<IndexElem>(p, 'IndexElem') ?? {});
  return {
    kind: 'create index',
    index: {
      name: s.idxname ?? null,
      table: rangeVarName(s.relation, ctx.defaultSchema),
      unique: s.unique ?? false,
      concurrently: s.concurrent ?? false,
      ifNotExists: s.if_not_exists ?? false,
      method: s.accessMethod ?? 'btree',
      columns: elements.map((e) => e.name ?? deparse(e.expr)),
      columnNames: elements.flatMap((e) => (e.name ? [e.name] : [])),
      where: s.whereClause ? deparse(s.whereClause) : null,
      // The parser leaves out `inh` when it is false (`ON ONLY parent`): protobuf omits defaults.
      only: s.relation?.inh !== true,
    },
  };
}

function lowerDrop(s: DropStmt, ctx: LowerContext): Change {
  const objects = (s.objects ?? []).map((o) => {
    const list = as<{ items?: Node[] }>(o, 'List')?.items;
    return list
      ? listName(names(list), ctx.defaultSchema)
      : listName([str(o) || deparse(o)], ctx.defaultSchema);
  });
  const ifExists = s.missing_ok ?? false;
  const cascade = s.behavior === 'DROP_CASCADE';
  switch (s.removeType) {
    case 'OBJECT_TABLE':
      return { kind: 'drop table', tables: objects, ifExists, cascade };
    case 'OBJECT_INDEX':
      return { kind: 'drop index', indexes: objects, concurrently: s.concurrent ?? false, ifExists, cascade };
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
      return {
        kind: 'drop view',
        views: objects,
        materialized: s.removeType === 'OBJECT_MATVIEW',
        ifExists,
        cascade,
      };
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      return {
        kind: 'drop type',
        types: (s.objects ?? []).map((o) =>
          listName(names(as<{ names?: Node[] }>(o, 'TypeName')?.names), ctx.defaultSchema),
        ),
        ifExists,
        cascade,
      };
    case 'OBJECT_SCHEMA':
      return { kind: 'drop schema', schemas: (s.objects ?? []).map((o) => str(o)), cascade };
    case 'OBJECT_TRIGGER': {
      // DROP TRIGGER name ON table: the list is [schema?, table, trigger]
      const parts = names(as<{ items?: Node[] }>(s.objects?.[0], 'List')?.items);
      const trigger = parts.pop() ?? '';
      return { kind: 'drop trigger', table: listName(parts, ctx.defaultSchema), name: trigger };
    }
    default:
      return { kind: 'unknown', statementType: `DROP ${objectWords(s.removeType)}` };
  }
}

function lowerRename(s: RenameStmt, ctx: LowerContext): Change {
  const table = rangeVarName(s.relation, ctx.defaultSchema);
  const newName = s.newname ?? '';
  switch (s.renameType) {
    case 'OBJECT_COLUMN':
      return { kind: 'rename column', table, column: s.subname ?? '', newName };
    case 'OBJECT_TABLE':
      return { kind: 'rename table', table, newName };
    case 'OBJECT_INDEX':
      return { kind: 'rename index', index: table, newName };
    case 'OBJECT_TABCONSTRAINT':
      return { kind: 'rename constraint', table, name: s.subname ?? '', newName };
    case 'OBJECT_SCHEMA':
      return { kind: 'rename schema', schema: s.subname ?? '', newName };
    default:
      // A relation (view, sequence, foreign table) or something on one (trigger, policy) is
      // locked like the table; a function or type renamed is not a table change at all.
      return s.relation
        ? {
            kind: 'alter table other',
            table,
            subtype: `ALTER ${objectWords(s.renameType)} … RENAME`,
            rewrites: false,
          }
        : { kind: 'unknown', statementType: `ALTER ${objectWords(s.renameType)} … RENAME` };
  }
}
