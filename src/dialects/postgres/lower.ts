/**
 * Lowering: one parsed statement → the Changes it makes. Anything not modelled becomes
 * `{ kind: 'unknown' }`, which analysis reports: a statement is never silently passed.
 */
import type {
  AlterDomainStmt,
  AlterEnumStmt,
  AlterTableStmt,
  ClusterStmt,
  CreateDomainStmt,
  CreateEnumStmt,
  CreateSeqStmt,
  CreateStmt,
  CopyStmt,
  CreateTableAsStmt,
  CreateTrigStmt,
  DefElem,
  DeleteStmt,
  DropdbStmt,
  DropStmt,
  GrantStmt,
  IndexElem,
  IndexStmt,
  InsertStmt,
  LockStmt,
  MergeStmt,
  Node,
  RangeVar,
  RefreshMatViewStmt,
  ReindexStmt,
  SelectStmt,
  RenameStmt,
  TransactionStmt,
  TruncateStmt,
  UpdateStmt,
  VacuumRelation,
  VacuumStmt,
  VariableSetStmt,
  ViewStmt,
} from '@pgsql/types';
import type { Change } from '../../core/change.js';
import { LOCK_MODES } from '../../core/locks.js';
import { as, deparse, intConst, listName, names, nodeType, rangeVarName, str, walk } from './ast.js';
import { lowerAlterTable, lowerCreateTable, targetColumns, type LowerContext } from './lower-table.js';
import { objectWords, statementWords } from './statement-names.js';

export type { LowerContext } from './lower-table.js';

export function lowerStatement(ast: unknown, ctx: LowerContext): Change[] {
  const type = nodeType(ast);
  const body = as<Record<string, unknown>>(ast, type) ?? {};
  const rv = (r: RangeVar | undefined) => rangeVarName(r, ctx.defaultSchema);
  switch (type) {
    case 'AlterTableStmt':
      return lowerAlterTable(body as AlterTableStmt, ctx);
    case 'CreateStmt':
      return [lowerCreateTable(body as CreateStmt, ctx)];
    case 'CreateTableAsStmt':
      return [lowerCreateTableAs(body as CreateTableAsStmt, ctx)];
    case 'IndexStmt':
      return [lowerIndex(body as IndexStmt, ctx)];
    case 'DropStmt':
      return [lowerDrop(body as DropStmt, ctx)];
    case 'RenameStmt':
      return [lowerRename(body as RenameStmt, ctx)];
    case 'ReindexStmt': {
      const s = body as ReindexStmt;
      const concurrently = (s.params ?? []).some(
        (p) => as<DefElem>(p, 'DefElem')?.defname === 'concurrently',
      );
      const target = (s.kind ?? 'REINDEX_OBJECT_TABLE').replace('REINDEX_OBJECT_', '').toLowerCase() as
        'index' | 'table' | 'schema' | 'database' | 'system';
      return [{ kind: 'reindex', target, name: s.relation ? rv(s.relation) : (s.name ?? ''), concurrently }];
    }
    case 'ViewStmt': {
      const s = body as ViewStmt;
      return [
        {
          kind: 'create view',
          view: rv(s.view),
          materialized: false,
          orReplace: s.replace ?? false,
          reads: relationsRead(s.query, ctx),
        },
      ];
    }
    case 'RefreshMatViewStmt': {
      const s = body as RefreshMatViewStmt;
      return [
        { kind: 'refresh materialized view', view: rv(s.relation), concurrently: s.concurrent ?? false },
      ];
    }
    case 'CreateEnumStmt': {
      const s = body as CreateEnumStmt;
      return [
        {
          kind: 'create enum',
          type: listName(names(s.typeName), ctx.defaultSchema),
          values: (s.vals ?? []).map(str),
        },
      ];
    }
    case 'AlterEnumStmt':
      return [lowerAlterEnum(body as AlterEnumStmt, ctx)];
    case 'VacuumStmt': {
      const s = body as VacuumStmt;
      const options = (s.options ?? []).map((o) => as<DefElem>(o, 'DefElem')?.defname ?? '');
      const tables = (s.rels ?? []).map((r) => rv(as<VacuumRelation>(r, 'VacuumRelation')?.relation));
      if (!s.is_vacuumcmd)
        return [{ kind: 'vacuum', command: 'analyze', tables, full: false, analyze: true }];
      return [
        {
          kind: 'vacuum',
          command: 'vacuum',
          tables,
          full: options.includes('full'),
          analyze: options.includes('analyze'),
        },
      ];
    }
    case 'ClusterStmt': {
      const s = body as ClusterStmt;
      return [{ kind: 'cluster', table: s.relation ? rv(s.relation) : null, index: s.indexname ?? null }];
    }
    case 'TruncateStmt': {
      const s = body as TruncateStmt;
      return [
        {
          kind: 'truncate',
          tables: (s.relations ?? []).map((r) => rv(as<RangeVar>(r, 'RangeVar'))),
          cascade: s.behavior === 'DROP_CASCADE',
        },
      ];
    }
    case 'InsertStmt': {
      const s = body as InsertStmt;
      return [
        {
          kind: 'dml',
          operation: 'insert',
          table: rv(s.relation),
          hasWhere: false,
          columns: targetColumns(s.cols),
        },
      ];
    }
    case 'UpdateStmt': {
      const s = body as UpdateStmt;
      return [
        {
          kind: 'dml',
          operation: 'update',
          table: rv(s.relation),
          hasWhere: s.whereClause !== undefined,
          columns: targetColumns(s.targetList),
        },
      ];
    }
    case 'DeleteStmt': {
      const s = body as DeleteStmt;
      return [
        {
          kind: 'dml',
          operation: 'delete',
          table: rv(s.relation),
          hasWhere: s.whereClause !== undefined,
          columns: [],
        },
      ];
    }
    case 'MergeStmt': {
      const s = body as MergeStmt;
      return [{ kind: 'dml', operation: 'merge', table: rv(s.relation), hasWhere: true, columns: [] }];
    }
    case 'VariableSetStmt':
      return [lowerSet(body as VariableSetStmt)];
    case 'TransactionStmt':
      return [lowerTransaction(body as TransactionStmt)];
    case 'CreateTrigStmt': {
      const s = body as CreateTrigStmt;
      return [{ kind: 'create trigger', table: rv(s.relation), name: s.trigname ?? '' }];
    }
    case 'CreateSeqStmt': {
      const s = body as CreateSeqStmt;
      return [{ kind: 'create sequence', sequence: rv(s.sequence) }];
    }
    case 'CreateDomainStmt': {
      const s = body as CreateDomainStmt;
      const hasCheck = (s.constraints ?? []).some(
        (c) => as<{ contype?: string }>(c, 'Constraint')?.contype === 'CONSTR_CHECK',
      );
      return [{ kind: 'create domain', domain: listName(names(s.domainname), ctx.defaultSchema), hasCheck }];
    }
    case 'AlterDomainStmt': {
      const s = body as AlterDomainStmt;
      const c = as<{ contype?: string; skip_validation?: boolean }>(s.def, 'Constraint');
      return [
        {
          kind: 'alter domain',
          domain: listName(names(s.typeName), ctx.defaultSchema),
          addsCheck: s.subtype === 'C' && c?.contype === 'CONSTR_CHECK',
          notValid: c?.skip_validation ?? false,
        },
      ];
    }
    case 'CommentStmt': {
      const s = body as { objtype?: string; object?: Node };
      const parts = names(as<{ items?: Node[] }>(s.object, 'List')?.items);
      const type = objectType(s.objtype);
      // Relations are named by a list of names; a column's list ends with the column.
      const relation = RELATION_OBJECTS.has(type) ? parts : type === 'column' ? parts.slice(0, -1) : [];
      const table = relation.length > 0 ? listName(relation, ctx.defaultSchema) : null;
      return [{ kind: 'comment', objectType: type, target: parts.join('.') || deparse(s.object), table }];
    }
    case 'GrantStmt': {
      const s = body as GrantStmt;
      const objects = (s.objects ?? []).map((o) =>
        nodeType(o) === 'RangeVar' ? rv(as(o, 'RangeVar')) : deparse(o),
      );
      // Tables, views and sequences are named by RangeVars; ALL TABLES IN SCHEMA names schemas.
      const relations =
        s.targtype === 'ACL_TARGET_OBJECT' ? (s.objects ?? []).flatMap((o) => rangeVars(o, rv)) : [];
      return [{ kind: 'grant', objects, relations }];
    }
    case 'LockStmt':
      return [lowerLock(body as LockStmt, rv)];
    case 'DropdbStmt': {
      const s = body as DropdbStmt;
      const force = (s.options ?? []).some((o) => as<DefElem>(o, 'DefElem')?.defname === 'force');
      return [{ kind: 'drop database', database: s.dbname ?? '', ifExists: s.missing_ok ?? false, force }];
    }
    case 'SelectStmt': {
      // SELECT … INTO creates a table, as CREATE TABLE … AS does.
      const { intoClause, ...query } = body as SelectStmt;
      if (!intoClause) return [{ kind: 'select' }];
      return [
        lowerCreateTableAs({ into: intoClause, query: { SelectStmt: query }, objtype: 'OBJECT_TABLE' }, ctx),
      ];
    }
    case 'CopyStmt': {
      // COPY t FROM … loads rows like INSERT; COPY t TO … only reads.
      const s = body as CopyStmt;
      if (!s.is_from || !s.relation) return [{ kind: 'select' }];
      return [
        {
          kind: 'dml',
          operation: 'insert',
          table: rv(s.relation),
          hasWhere: false,
          columns: names(s.attlist),
        },
      ];
    }
    case 'CreateSchemaStmt':
      return [
        {
          kind: 'create other',
          objectType: 'schema',
          name: (body as { schemaname?: string }).schemaname ?? '',
        },
      ];
    case 'CreateExtensionStmt':
      return [
        { kind: 'create other', objectType: 'extension', name: (body as { extname?: string }).extname ?? '' },
      ];
    case 'CreateFunctionStmt':
      return [
        {
          kind: 'create other',
          objectType: (body as { is_procedure?: boolean }).is_procedure ? 'procedure' : 'function',
          name: names((body as { funcname?: Node[] }).funcname).join('.'),
        },
      ];
    case 'CreatePolicyStmt':
      return [
        {
          kind: 'create other',
          objectType: 'policy',
          name: (body as { policy_name?: string }).policy_name ?? '',
        },
      ];
    case 'CompositeTypeStmt':
      return [
        { kind: 'create other', objectType: 'type', name: rv((body as { typevar?: RangeVar }).typevar) },
      ];
    case 'AlterObjectSchemaStmt': {
      const s = body as { objectType?: string; relation?: RangeVar; newschema?: string; object?: Node };
      const target = s.relation ? rv(s.relation) : deparse(s.object);
      return [
        {
          kind: 'set schema',
          table: target,
          newSchema: s.newschema ?? '',
          objectType: objectType(s.objectType),
        },
      ];
    }
    default:
      return [{ kind: 'unknown', statementType: statementWords(type, body) }];
  }
}

function rangeVars(node: Node, rv: (r: RangeVar | undefined) => string): string[] {
  return nodeType(node) === 'RangeVar' ? [rv(as(node, 'RangeVar'))] : [];
}

/** LockStmt.mode is PostgreSQL's LOCKMODE number: 1 = ACCESS SHARE … 8 = ACCESS EXCLUSIVE (lockdefs.h). */
function lowerLock(s: LockStmt, rv: (r: RangeVar | undefined) => string): Change {
  const relations = (s.relations ?? []).map((r) => as<RangeVar>(r, 'RangeVar'));
  return {
    kind: 'lock table',
    tables: relations.map(rv),
    // The parser leaves out `inh` when it is false (`LOCK TABLE ONLY t`), as for CREATE INDEX.
    onlyTables: relations.filter((r) => r?.inh !== true).map(rv),
    mode: LOCK_MODES[(s.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE',
    nowait: s.nowait ?? false,
  };
}

const RELATION_OBJECTS = new Set(['table', 'view', 'matview', 'index', 'sequence', 'foreign table']);

function objectType(value: string | undefined): string {
  return (value ?? 'OBJECT_UNKNOWN').replace('OBJECT_', '').toLowerCase().replace(/_/g, ' ');
}

function lowerCreateTableAs(s: CreateTableAsStmt, ctx: LowerContext): Change {
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

const TIMEOUTS = ['lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout'] as const;

function lowerSet(s: VariableSetStmt): Change {
  const name = (s.name ?? '').toLowerCase();
  const arg = s.args?.[0];
  const value =
    intConst(arg) !== undefined
      ? String(intConst(arg))
      : (as<{ sval?: { sval?: string } }>(arg, 'A_Const')?.sval?.sval ?? deparse(arg));
  const setting = TIMEOUTS.find((t) => t === name);
  if (setting && s.kind === 'VAR_SET_VALUE') {
    return { kind: 'set timeout', setting, ms: durationMs(value), local: s.is_local ?? false };
  }
  return { kind: 'set', name, value: s.kind === 'VAR_RESET' ? 'DEFAULT' : value, local: s.is_local ?? false };
}

/** `'5s'`, `'2min'`, `500` (ms) → milliseconds, as PostgreSQL reads timeouts. 0 means none. */
export function durationMs(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(value);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor =
    unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'min' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000;
  return n * factor;
}

function lowerTransaction(s: TransactionStmt): Change {
  switch (s.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return { kind: 'transaction', action: 'begin' };
    case 'TRANS_STMT_COMMIT':
    case 'TRANS_STMT_COMMIT_PREPARED':
      return { kind: 'transaction', action: 'commit' };
    case 'TRANS_STMT_ROLLBACK':
    case 'TRANS_STMT_ROLLBACK_PREPARED':
      return { kind: 'transaction', action: 'rollback' };
    case 'TRANS_STMT_SAVEPOINT':
      return { kind: 'transaction', action: 'savepoint' };
    case 'TRANS_STMT_RELEASE':
      return { kind: 'transaction', action: 'release' };
    case 'TRANS_STMT_ROLLBACK_TO':
      return { kind: 'transaction', action: 'rollback to' };
    default:
      return { kind: 'unknown', statementType: statementWords('TransactionStmt', { ...s }) };
  }
}

/** Tables and views a query reads (for view dependencies). */
function relationsRead(query: unknown, ctx: LowerContext): string[] {
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
