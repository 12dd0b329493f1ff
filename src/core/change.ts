/**
 * Change: what a statement does to the schema, as typed data. Lowered from the parser's AST
 * (sql/ and dialects/<name>/lower.ts); consumed by facts, rules, the planner and the schema
 * applier. One statement can yield several Changes (an ALTER TABLE with several actions).
 *
 * Relation names are qualified (`schema.name`, unquoted parts); an unqualified name in the SQL
 * is resolved against the default schema (`public` unless configured). Every Change is plain
 * JSON and appears as is in `analyze --format json`.
 */
import type { LockMode } from './locks.js';

/** An SQL expression: its text as the parser deparsed it, and the functions it calls. */
export interface Expr {
  sql: string;
  /** Function names called anywhere in the expression, lower case, qualified when written so. */
  functions: string[];
  /** True when the expression is a bare literal (string, number, boolean, NULL), possibly cast. */
  constant: boolean;
}

/** A type as written in the migration, normalised for comparison with catalog types. */
export interface TypeRef {
  /** Canonical internal name: `int4`, `varchar`, `timestamptz`, `numeric`, or the user type (`order_status`). */
  name: string;
  /** Type modifiers: `[255]` for varchar(255), `[10, 2]` for numeric(10,2); empty when none. */
  modifiers: number[];
  /** Array dimensions (`text[]` is 1). */
  arrayDims: number;
  /** The type as SQL, ready to paste: `character varying(255)`, `bigint`, `order_status[]`. */
  sql: string;
  /** Set for the serial pseudo-types, which add a sequence and a volatile default. */
  serial?: 'smallserial' | 'serial' | 'bigserial';
}

export type FkAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface ReferenceSpec {
  table: string;
  /** Empty when the SQL omits them (the referenced table's primary key is meant). */
  columns: string[];
  onDelete: FkAction;
  onUpdate: FkAction;
}

export interface ColumnSpec {
  name: string;
  type: TypeRef;
  notNull: boolean;
  default: Expr | null;
  identity: 'always' | 'by default' | null;
  /** Expression of a generated column, and whether it is STORED (rewrite) or VIRTUAL (PG18+). */
  generated: { expr: Expr; stored: boolean } | null;
  collation: string | null;
  primaryKey: boolean;
  unique: boolean;
  checks: Expr[];
  references: ReferenceSpec | null;
}

export type ConstraintSpec =
  | {
      type: 'check';
      name: string | null;
      expr: Expr;
      notValid: boolean;
      noInherit: boolean;
      /** MySQL 8.0.16+ `CHECK … NOT ENFORCED`: kept in the catalog, never checked. Left out otherwise. */
      notEnforced?: true;
    }
  | {
      type: 'foreign key';
      name: string | null;
      columns: string[];
      references: ReferenceSpec;
      notValid: boolean;
    }
  | {
      type: 'unique';
      name: string | null;
      columns: string[];
      usingIndex: string | null;
      nullsNotDistinct: boolean;
    }
  | { type: 'primary key'; name: string | null; columns: string[]; usingIndex: string | null }
  | { type: 'exclusion'; name: string | null; sql: string }
  /** PostgreSQL 18: `ADD CONSTRAINT name NOT NULL col [NOT VALID]`. */
  | { type: 'not null'; name: string | null; column: string; notValid: boolean };

export interface IndexSpec {
  name: string | null;
  table: string;
  unique: boolean;
  concurrently: boolean;
  ifNotExists: boolean;
  method: string;
  /** Key columns or expressions as SQL. */
  columns: string[];
  /** Plain column names among the keys (expressions excluded). */
  columnNames: string[];
  where: string | null;
  /** `ONLY` on a partitioned table. */
  only: boolean;
}

/**
 * How an ALTER TABLE action reaches beyond the table's own rows. Each flag is left out unless
 * the SQL says so, so a plain ALTER TABLE lowers to the same JSON as ever.
 */
export interface TableScope {
  /** `ALTER TABLE ONLY`: the table's partitions are neither altered nor locked. */
  only?: true;
  /** `ALTER FOREIGN TABLE`: the rows live on another server; nothing here reads or rewrites them. */
  foreignTable?: true;
}

/**
 * MySQL/MariaDB `ALGORITHM=` and `LOCK=` as written on the ALTER TABLE (or CREATE/DROP INDEX)
 * the Change comes from: they are not changes themselves but bound what the server may do, so
 * every Change of that statement carries them for facts and rules. Left out when not written
 * (and always on PostgreSQL).
 */
export interface DdlOptions {
  algorithm?: 'DEFAULT' | 'INSTANT' | 'NOCOPY' | 'INPLACE' | 'COPY';
  lock?: 'DEFAULT' | 'NONE' | 'SHARED' | 'EXCLUSIVE';
}

/** MySQL/MariaDB `FIRST` / `AFTER col` on ADD, MODIFY or CHANGE COLUMN; left out when not written. */
export type ColumnPosition = { first: true } | { after: string };

/** Every kind of Change. `table` is always qualified. */
export type Change =
  | {
      kind: 'create table';
      table: string;
      columns: ColumnSpec[];
      constraints: ConstraintSpec[];
      ifNotExists: boolean;
      partitionOf: string | null;
      partitioned: boolean;
      asSelect: boolean;
      /** False for `CREATE TABLE … AS … WITH NO DATA`: the table starts empty. */
      withData: boolean;
      /** Relations the AS SELECT reads (qualified, sorted); empty for a plain CREATE TABLE. */
      reads: string[];
      unlogged: boolean;
      temporary: boolean;
    }
  | { kind: 'drop table'; tables: string[]; ifExists: boolean; cascade: boolean }
  | ({ kind: 'rename table'; table: string; newName: string } & DdlOptions)
  | { kind: 'set schema'; table: string; newSchema: string; objectType: string }
  | ({
      kind: 'add column';
      table: string;
      column: ColumnSpec;
      ifNotExists: boolean;
      position?: ColumnPosition;
    } & TableScope &
      DdlOptions)
  | ({
      kind: 'drop column';
      table: string;
      column: string;
      ifExists: boolean;
      cascade: boolean;
    } & TableScope &
      DdlOptions)
  | ({ kind: 'rename column'; table: string; column: string; newName: string } & DdlOptions)
  | ({
      kind: 'alter column type';
      table: string;
      column: string;
      type: TypeRef;
      using: Expr | null;
      /** USING is the column itself, possibly cast (`USING c::bigint`): same as no USING. */
      usingIsColumn: boolean;
      collation: string | null;
      position?: ColumnPosition;
    } & TableScope &
      DdlOptions)
  | ({ kind: 'set not null'; table: string; column: string } & TableScope & DdlOptions)
  | ({ kind: 'drop not null'; table: string; column: string } & TableScope & DdlOptions)
  | ({ kind: 'set default'; table: string; column: string; default: Expr } & TableScope & DdlOptions)
  | ({ kind: 'drop default'; table: string; column: string } & TableScope & DdlOptions)
  | ({ kind: 'add identity'; table: string; column: string; identity: 'always' | 'by default' } & TableScope &
      DdlOptions)
  | ({ kind: 'drop identity'; table: string; column: string } & TableScope)
  | ({ kind: 'set generated expression'; table: string; column: string; expr: Expr | null } & TableScope &
      DdlOptions)
  | ({ kind: 'add constraint'; table: string; constraint: ConstraintSpec } & TableScope & DdlOptions)
  | ({ kind: 'validate constraint'; table: string; name: string } & TableScope)
  | ({
      kind: 'drop constraint';
      table: string;
      name: string;
      ifExists: boolean;
      cascade: boolean;
    } & TableScope &
      DdlOptions)
  | { kind: 'rename constraint'; table: string; name: string; newName: string }
  | ({ kind: 'create index'; index: IndexSpec } & DdlOptions)
  | ({
      kind: 'drop index';
      indexes: string[];
      concurrently: boolean;
      ifExists: boolean;
      cascade: boolean;
      /** MySQL/MariaDB: index names are per table (`DROP INDEX i ON t`); the table, qualified. */
      table?: string;
    } & DdlOptions)
  | ({
      kind: 'rename index';
      index: string;
      newName: string;
      /** MySQL/MariaDB: the table the index is on (ALTER TABLE t RENAME INDEX), qualified. */
      table?: string;
    } & DdlOptions)
  | {
      kind: 'reindex';
      target: 'index' | 'table' | 'schema' | 'database' | 'system';
      name: string;
      concurrently: boolean;
    }
  | { kind: 'create view'; view: string; materialized: boolean; orReplace: boolean; reads: string[] }
  | { kind: 'drop view'; views: string[]; materialized: boolean; ifExists: boolean; cascade: boolean }
  | { kind: 'refresh materialized view'; view: string; concurrently: boolean }
  | { kind: 'create enum'; type: string; values: string[] }
  | {
      kind: 'add enum value';
      type: string;
      value: string;
      before: string | null;
      after: string | null;
      ifNotExists: boolean;
    }
  | { kind: 'rename enum value'; type: string; value: string; newValue: string }
  | { kind: 'drop type'; types: string[]; ifExists: boolean; cascade: boolean }
  | { kind: 'attach partition'; table: string; partition: string }
  | { kind: 'detach partition'; table: string; partition: string; concurrently: boolean; finalize: boolean }
  | { kind: 'vacuum'; command: 'vacuum' | 'analyze'; tables: string[]; full: boolean; analyze: boolean }
  | { kind: 'cluster'; table: string | null; index: string | null }
  | { kind: 'truncate'; tables: string[]; cascade: boolean }
  /**
   * LOCK TABLE: changes nothing, holds the lock to the end of the transaction (the planner keeps
   * it as written). `onlyTables` are those written with ONLY: their partitions are not locked.
   */
  | { kind: 'lock table'; tables: string[]; onlyTables: string[]; mode: LockMode; nowait: boolean }
  | {
      kind: 'dml';
      operation: 'insert' | 'update' | 'delete' | 'merge';
      table: string;
      hasWhere: boolean;
      columns: string[];
    }
  | {
      kind: 'set timeout';
      setting: 'lock_timeout' | 'statement_timeout' | 'idle_in_transaction_session_timeout';
      ms: number;
      local: boolean;
    }
  | { kind: 'set'; name: string; value: string; local: boolean }
  | { kind: 'transaction'; action: 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback to' }
  | { kind: 'create trigger'; table: string; name: string }
  | { kind: 'drop trigger'; table: string; name: string }
  /** ENABLE | DISABLE TRIGGER name, or ALL | USER (`group`; `name` is then null). */
  | ({
      kind: 'set trigger state';
      table: string;
      name: string | null;
      group: 'ALL' | 'USER' | null;
      enabled: boolean;
    } & TableScope)
  | { kind: 'create sequence'; sequence: string }
  | { kind: 'drop schema'; schemas: string[]; cascade: boolean }
  | { kind: 'drop database'; database: string; ifExists: boolean; force: boolean }
  | { kind: 'rename schema'; schema: string; newName: string }
  | { kind: 'create domain'; domain: string; hasCheck: boolean }
  | { kind: 'alter domain'; domain: string; addsCheck: boolean; notValid: boolean }
  | ({ kind: 'alter table other'; table: string; subtype: string; rewrites: boolean } & TableScope &
      DdlOptions)
  | { kind: 'create other'; objectType: string; name: string }
  /** DROP of an object that holds no rows and that nothing else models (a procedure, an event). */
  | { kind: 'drop other'; objectType: string; name: string; ifExists: boolean }
  /** `table` is set for comments on a relation or a column: COMMENT ON locks that relation. */
  | { kind: 'comment'; objectType: string; target: string; table: string | null }
  /** GRANT or REVOKE; `relations` are the tables, views and sequences it names (qualified). */
  | { kind: 'grant'; objects: string[]; relations: string[] }
  /** A query; `pragma`: SQLite's PRAGMA that only reads (`foreign_key_check`), lower case. */
  | { kind: 'select'; pragma?: string }
  /** A statement we do not model. Reported as an info finding, never silently passed. */
  | { kind: 'unknown'; statementType: string };

export type ChangeKind = Change['kind'];

/**
 * Every Change kind at run time (the union has none): the `kind` enum of the JSON schema, and
 * the kinds of a rule that reads every statement's facts. The compiler checks it is complete.
 */
export const CHANGE_KINDS = [
  'create table',
  'drop table',
  'rename table',
  'set schema',
  'add column',
  'drop column',
  'rename column',
  'alter column type',
  'set not null',
  'drop not null',
  'set default',
  'drop default',
  'add identity',
  'drop identity',
  'set generated expression',
  'add constraint',
  'validate constraint',
  'drop constraint',
  'rename constraint',
  'create index',
  'drop index',
  'rename index',
  'reindex',
  'create view',
  'drop view',
  'refresh materialized view',
  'create enum',
  'add enum value',
  'rename enum value',
  'drop type',
  'attach partition',
  'detach partition',
  'vacuum',
  'cluster',
  'truncate',
  'lock table',
  'dml',
  'set timeout',
  'set',
  'transaction',
  'create trigger',
  'drop trigger',
  'set trigger state',
  'create sequence',
  'drop schema',
  'drop database',
  'rename schema',
  'create domain',
  'alter domain',
  'alter table other',
  'create other',
  'drop other',
  'comment',
  'grant',
  'select',
  'unknown',
] as const satisfies readonly ChangeKind[];
type UnlistedKind = Exclude<ChangeKind, (typeof CHANGE_KINDS)[number]>;
// A type error here names a Change kind to add to CHANGE_KINDS above.
const everyChangeKindListed: [UnlistedKind] extends [never] ? true : UnlistedKind = true;
void everyChangeKindListed;
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

/** The table a change acts on, when there is exactly one. */
export function changeTable(change: Change): string | null {
  if ('table' in change && typeof change.table === 'string') return change.table;
  if (change.kind === 'create index') return change.index.table;
  return null;
}
