/**
 * The AST our SQLite parser (syntax/) produces: what lowering and the planner need of each
 * statement, with expressions kept as their text. Names are as SQLite reads them (quotes
 * removed); `schema` is null where the statement does not name one.
 */
import type { FkAction } from '../../core/change.js';

export interface SqliteName {
  schema: string | null;
  name: string;
}

export interface SqliteExpr {
  /** The expression as written. */
  sql: string;
  /** A literal, possibly signed or in parentheses. */
  constant: boolean;
  /** Function names called (lower case); CURRENT_TIME/DATE/TIMESTAMP count as functions. */
  functions: string[];
  /** Column names referred to. */
  columns: string[];
}

export interface SqliteForeignKey {
  table: string;
  columns: string[];
  onDelete: FkAction;
  onUpdate: FkAction;
  /** DEFERRABLE INITIALLY DEFERRED. */
  deferred: boolean;
}

export interface SqliteColumn {
  name: string;
  /** The declared type as written (`VARCHAR(255)`), or null. */
  type: string | null;
  primaryKey: { descending: boolean; autoincrement: boolean } | null;
  notNull: boolean;
  unique: boolean;
  checks: SqliteExpr[];
  default: SqliteExpr | null;
  collation: string | null;
  references: SqliteForeignKey | null;
  generated: { expr: SqliteExpr; stored: boolean } | null;
  /** The whole definition as written, for the planner. */
  sql: string;
}

export type SqliteTableConstraint =
  | { type: 'primary key'; name: string | null; columns: string[]; sql: string }
  | { type: 'unique'; name: string | null; columns: string[]; sql: string }
  | { type: 'check'; name: string | null; expr: SqliteExpr; sql: string }
  | {
      type: 'foreign key';
      name: string | null;
      columns: string[];
      references: SqliteForeignKey;
      sql: string;
    };

export type SqliteAlterAction =
  | { type: 'rename table'; newName: string }
  | { type: 'rename column'; column: string; newName: string }
  | { type: 'add column'; column: SqliteColumn }
  | { type: 'drop column'; column: string }
  /** 3.53.0+: ADD [CONSTRAINT name] CHECK (expr), DROP CONSTRAINT name, ALTER COLUMN … SET/DROP NOT NULL. */
  | { type: 'add check'; name: string | null; expr: SqliteExpr }
  | { type: 'drop constraint'; name: string }
  | { type: 'set not null'; column: string }
  | { type: 'drop not null'; column: string };

export type SqliteStatement =
  | {
      type: 'create table';
      table: SqliteName;
      temporary: boolean;
      ifNotExists: boolean;
      columns: SqliteColumn[];
      constraints: SqliteTableConstraint[];
      withoutRowid: boolean;
      strict: boolean;
      /** CREATE TABLE … AS SELECT: the relations it reads; null for a column list. */
      asSelect: { reads: SqliteName[] } | null;
    }
  | { type: 'create virtual table'; table: SqliteName; ifNotExists: boolean; module: string }
  | { type: 'alter table'; table: SqliteName; action: SqliteAlterAction }
  | {
      type: 'create index';
      index: SqliteName;
      table: string;
      unique: boolean;
      ifNotExists: boolean;
      /** Each key as written, and its column name when it is a plain column. */
      keys: { sql: string; column: string | null; descending: boolean }[];
      where: SqliteExpr | null;
    }
  | { type: 'drop'; objectType: 'table' | 'index' | 'view' | 'trigger'; name: SqliteName; ifExists: boolean }
  | {
      type: 'create view';
      view: SqliteName;
      temporary: boolean;
      ifNotExists: boolean;
      reads: SqliteName[];
    }
  | {
      type: 'create trigger';
      trigger: SqliteName;
      table: SqliteName;
      temporary: boolean;
      ifNotExists: boolean;
      timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
      event: 'INSERT' | 'UPDATE' | 'DELETE';
      /** UPDATE OF columns; empty otherwise. */
      columns: string[];
      /** Tables the body writes or reads. */
      touches: SqliteName[];
    }
  | {
      type: 'pragma';
      schema: string | null;
      /** Lower case, as SQLite compares pragma names. */
      name: string;
      /** The value as written (`ON`, `5000`, `-2000`, `WAL`), or null for a query. */
      value: string | null;
      /** `PRAGMA x(arg)` rather than `PRAGMA x = arg`. */
      call: boolean;
    }
  | { type: 'begin'; mode: 'DEFERRED' | 'IMMEDIATE' | 'EXCLUSIVE' }
  | { type: 'commit' }
  | { type: 'rollback'; savepoint: string | null }
  | { type: 'savepoint'; name: string }
  | { type: 'release'; name: string }
  | {
      type: 'insert' | 'update' | 'delete';
      table: SqliteName;
      columns: string[];
      hasWhere: boolean;
      /** Relations read by the statement's SELECT, subqueries and FROM, itself excluded. */
      reads: SqliteName[];
    }
  | { type: 'select'; reads: SqliteName[] }
  | { type: 'vacuum'; schema: string | null; into: boolean }
  | { type: 'analyze'; target: SqliteName | null }
  | { type: 'reindex'; target: SqliteName | null }
  | { type: 'attach'; file: string; schema: string }
  | { type: 'detach'; schema: string }
  | { type: 'explain'; statement: SqliteStatement };

export type SqliteStatementType = SqliteStatement['type'];
