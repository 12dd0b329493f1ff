/**
 * Lowering of CREATE TABLE and ALTER TABLE to Changes: column definitions, constraints and
 * each ALTER TABLE action.
 */
import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  Node,
  PartitionCmd,
} from '@pgsql/types';
import type {
  Change,
  ColumnSpec,
  ConstraintSpec,
  FkAction,
  ReferenceSpec,
  TableScope,
} from '../../core/change.js';
import { as, deparse, expr, names, rangeVarName, typeRef } from './ast.js';

export interface LowerContext {
  defaultSchema: string;
}

const FK_ACTIONS: Record<string, FkAction> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

export function columnSpec(def: ColumnDef, ctx: LowerContext): ColumnSpec {
  const spec: ColumnSpec = {
    name: def.colname ?? '',
    type: typeRef(def.typeName),
    notNull: def.is_not_null ?? false,
    default: def.raw_default ? expr(def.raw_default) : null,
    identity: null,
    generated: null,
    collation: def.collClause ? names(def.collClause.collname).join('.') : null,
    primaryKey: false,
    unique: false,
    checks: [],
    references: null,
  };
  for (const node of def.constraints ?? []) {
    const c = as<Constraint>(node, 'Constraint');
    if (!c) continue;
    switch (c.contype) {
      case 'CONSTR_NOTNULL':
        spec.notNull = true;
        break;
      case 'CONSTR_NULL':
        spec.notNull = false;
        break;
      case 'CONSTR_DEFAULT':
        spec.default = c.raw_expr ? expr(c.raw_expr) : null;
        break;
      case 'CONSTR_IDENTITY':
        spec.identity = c.generated_when === 'd' ? 'by default' : 'always';
        spec.notNull = true;
        break;
      case 'CONSTR_GENERATED':
        // PostgreSQL 18 made VIRTUAL the default; earlier versions only accept STORED.
        spec.generated = { expr: expr(c.raw_expr), stored: c.generated_kind !== 'v' };
        break;
      case 'CONSTR_PRIMARY':
        spec.primaryKey = true;
        spec.notNull = true;
        break;
      case 'CONSTR_UNIQUE':
        spec.unique = true;
        break;
      case 'CONSTR_CHECK':
        if (c.raw_expr) spec.checks.push(expr(c.raw_expr));
        break;
      case 'CONSTR_FOREIGN':
        spec.references = reference(c, ctx);
        break;
      default:
        break;
    }
  }
  if (spec.type.serial) spec.notNull = true;
  return spec;
}

function reference(c: Constraint, ctx: LowerContext): ReferenceSpec {
  return {
    table: rangeVarName(c.pktable, ctx.defaultSchema),
    columns: names(c.pk_attrs),
    onDelete: FK_ACTIONS[c.fk_del_action ?? 'a'] ?? 'NO ACTION',
    onUpdate: FK_ACTIONS[c.fk_upd_action ?? 'a'] ?? 'NO ACTION',
  };
}

/** A table-level constraint (CREATE TABLE … CONSTRAINT, ALTER TABLE ADD CONSTRAINT). */
export function constraintSpec(c: Constraint, ctx: LowerContext): ConstraintSpec | null {
  const name = c.conname ?? null;
  switch (c.contype) {
    case 'CONSTR_CHECK':
      return {
        type: 'check',
        name,
        expr: expr(c.raw_expr),
        notValid: c.skip_validation ?? false,
        noInherit: c.is_no_inherit ?? false,
      };
    case 'CONSTR_FOREIGN':
      return {
        type: 'foreign key',
        name,
        columns: names(c.fk_attrs),
        references: reference(c, ctx),
        notValid: c.skip_validation ?? false,
      };
    case 'CONSTR_UNIQUE':
      return {
        type: 'unique',
        name,
        columns: names(c.keys),
        usingIndex: c.indexname ?? null,
        nullsNotDistinct: c.nulls_not_distinct ?? false,
      };
    case 'CONSTR_PRIMARY':
      return { type: 'primary key', name, columns: names(c.keys), usingIndex: c.indexname ?? null };
    case 'CONSTR_EXCLUSION':
      return { type: 'exclusion', name, sql: deparse({ Constraint: c }) };
    case 'CONSTR_NOTNULL':
      return { type: 'not null', name, column: names(c.keys)[0] ?? '', notValid: c.skip_validation ?? false };
    default:
      return null;
  }
}

export function lowerCreateTable(stmt: CreateStmt, ctx: LowerContext): Change {
  const columns: ColumnSpec[] = [];
  const constraints: ConstraintSpec[] = [];
  for (const element of stmt.tableElts ?? []) {
    const column = as<ColumnDef>(element, 'ColumnDef');
    if (column) columns.push(columnSpec(column, ctx));
    const constraint = as<Constraint>(element, 'Constraint');
    const spec = constraint ? constraintSpec(constraint, ctx) : null;
    if (spec) constraints.push(spec);
  }
  const persistence = stmt.relation?.relpersistence;
  const parent = stmt.partbound ? stmt.inhRelations?.[0] : undefined;
  return {
    kind: 'create table',
    table: rangeVarName(stmt.relation, ctx.defaultSchema),
    columns,
    constraints,
    ifNotExists: stmt.if_not_exists ?? false,
    partitionOf: parent ? rangeVarName(as(parent, 'RangeVar'), ctx.defaultSchema) : null,
    partitioned: stmt.partspec !== undefined,
    asSelect: false,
    withData: false,
    reads: [],
    unlogged: persistence === 'u',
    temporary: persistence === 't',
  };
}

/** Each action of an ALTER TABLE becomes one Change. */
export function lowerAlterTable(stmt: AlterTableStmt, ctx: LowerContext): Change[] {
  const table = rangeVarName(stmt.relation, ctx.defaultSchema);
  if (stmt.objtype !== 'OBJECT_TABLE' && stmt.objtype !== 'OBJECT_FOREIGN_TABLE') {
    // ALTER INDEX / VIEW / MATERIALIZED VIEW / SEQUENCE … SET, OWNER, …
    return [{ kind: 'alter table other', table, subtype: `${stmt.objtype ?? ''}`, rewrites: false }];
  }
  // The parser leaves out `inh` when it is false (`ALTER TABLE ONLY t`): protobuf omits defaults.
  const scope: TableScope = {};
  if (stmt.relation?.inh !== true) scope.only = true;
  if (stmt.objtype === 'OBJECT_FOREIGN_TABLE') scope.foreignTable = true;
  return (stmt.cmds ?? []).map((node) =>
    scoped(lowerAlterCmd(table, as<AlterTableCmd>(node, 'AlterTableCmd') ?? {}, ctx), scope),
  );
}

/** The kinds an ALTER TABLE scope applies to: partitions are attached and detached by name. */
function scoped(change: Change, scope: TableScope): Change {
  if (change.kind === 'attach partition' || change.kind === 'detach partition' || change.kind === 'unknown')
    return change;
  // Most ALTERs have no scope: the Change (made fresh by lowerAlterCmd) is kept, not copied.
  if (scope.only === undefined && scope.foreignTable === undefined) return change;
  return { ...change, ...scope };
}

function lowerAlterCmd(table: string, cmd: AlterTableCmd, ctx: LowerContext): Change {
  const column = cmd.name ?? '';
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = as<ColumnDef>(cmd.def, 'ColumnDef') ?? {};
      return {
        kind: 'add column',
        table,
        column: columnSpec(def, ctx),
        ifNotExists: cmd.missing_ok ?? false,
      };
    }
    case 'AT_DropColumn':
      return {
        kind: 'drop column',
        table,
        column,
        ifExists: cmd.missing_ok ?? false,
        cascade: cmd.behavior === 'DROP_CASCADE',
      };
    case 'AT_AlterColumnType': {
      const def = as<ColumnDef>(cmd.def, 'ColumnDef') ?? {};
      return {
        kind: 'alter column type',
        table,
        column,
        type: typeRef(def.typeName),
        using: def.raw_default ? expr(def.raw_default) : null,
        usingIsColumn: def.raw_default === undefined || isColumnOrCast(def.raw_default, column),
        collation: def.collClause ? names(def.collClause.collname).join('.') : null,
      };
    }
    case 'AT_SetNotNull':
      return { kind: 'set not null', table, column };
    case 'AT_DropNotNull':
      return { kind: 'drop not null', table, column };
    case 'AT_ColumnDefault':
      return cmd.def
        ? { kind: 'set default', table, column, default: expr(cmd.def) }
        : { kind: 'drop default', table, column };
    case 'AT_AddIdentity': {
      const c = as<Constraint>(cmd.def, 'Constraint');
      return {
        kind: 'add identity',
        table,
        column,
        identity: c?.generated_when === 'd' ? 'by default' : 'always',
      };
    }
    case 'AT_DropIdentity':
      return { kind: 'drop identity', table, column };
    case 'AT_SetExpression':
      return { kind: 'set generated expression', table, column, expr: cmd.def ? expr(cmd.def) : null };
    case 'AT_DropExpression':
      return { kind: 'set generated expression', table, column, expr: null };
    case 'AT_AddConstraint': {
      const c = as<Constraint>(cmd.def, 'Constraint');
      const spec = c ? constraintSpec(c, ctx) : null;
      return spec
        ? { kind: 'add constraint', table, constraint: spec }
        : { kind: 'unknown', statementType: 'ALTER TABLE ADD CONSTRAINT' };
    }
    case 'AT_ValidateConstraint':
      return { kind: 'validate constraint', table, name: column };
    case 'AT_DropConstraint':
      return {
        kind: 'drop constraint',
        table,
        name: column,
        ifExists: cmd.missing_ok ?? false,
        cascade: cmd.behavior === 'DROP_CASCADE',
      };
    case 'AT_AttachPartition': {
      const p = as<PartitionCmd>(cmd.def, 'PartitionCmd');
      return { kind: 'attach partition', table, partition: rangeVarName(p?.name, ctx.defaultSchema) };
    }
    case 'AT_DetachPartition':
    case 'AT_DetachPartitionFinalize': {
      const p = as<PartitionCmd>(cmd.def, 'PartitionCmd');
      return {
        kind: 'detach partition',
        table,
        partition: rangeVarName(p?.name, ctx.defaultSchema),
        concurrently: p?.concurrent ?? false,
        finalize: cmd.subtype === 'AT_DetachPartitionFinalize',
      };
    }
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_DisableTrig':
      return {
        kind: 'set trigger state',
        table,
        name: column,
        group: null,
        enabled: cmd.subtype !== 'AT_DisableTrig',
      };
    // ENABLE | DISABLE TRIGGER ALL | USER: the same lock as one named trigger (test/facts).
    case 'AT_EnableTrigAll':
    case 'AT_DisableTrigAll':
      return {
        kind: 'set trigger state',
        table,
        name: null,
        group: 'ALL',
        enabled: cmd.subtype === 'AT_EnableTrigAll',
      };
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrigUser':
      return {
        kind: 'set trigger state',
        table,
        name: null,
        group: 'USER',
        enabled: cmd.subtype === 'AT_EnableTrigUser',
      };
    case 'AT_SetTableSpace':
    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
    case 'AT_SetAccessMethod':
      return { kind: 'alter table other', table, subtype: cmd.subtype, rewrites: true };
    default:
      return { kind: 'alter table other', table, subtype: cmd.subtype ?? 'unknown', rewrites: false };
  }
}

/** `col` or `col::type` / `CAST(col AS type)`. */
function isColumnOrCast(node: Node, column: string): boolean {
  const cast = as<{ arg?: Node }>(node, 'TypeCast');
  const target = cast ? cast.arg : node;
  const ref = as<{ fields?: Node[] }>(target, 'ColumnRef');
  const parts = names(ref?.fields);
  return parts.length === 1 && parts[0] === column;
}

/** Column names a DML statement writes (UPDATE … SET a = …). */
export function targetColumns(targetList: readonly Node[] | undefined): string[] {
  return (targetList ?? [])
    .map((t) => as<{ name?: string }>(t, 'ResTarget')?.name ?? '')
    .filter((n) => n !== '');
}
