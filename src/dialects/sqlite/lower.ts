/**
 * SQLite statements (ast.ts) as the Changes of src/core/change.ts. Names are qualified with
 * the schema SQLite resolves them in: the one written, `temp` for CREATE TEMP objects, else the
 * default schema (`main`; `temp` and attached databases are others). PRAGMAs that set something
 * become `set` Changes (name lower case, value as written without quotes), so rules and facts
 * see `foreign_keys`, `legacy_alter_table`, `defer_foreign_keys`, `busy_timeout` and
 * `journal_mode` as they see PostgreSQL's SET; PRAGMAs that only read are `select`.
 */
import type { Change } from '../../core/change.js';
import type { SqliteName, SqliteStatement } from './ast.js';
import { columnSpec, constraintSpec, expr } from './lowering/columns.js';

/** PRAGMAs that report rather than set, even with an argument (`PRAGMA table_info(t)`). */
const READING_PRAGMAS = new Set([
  'table_info',
  'table_xinfo',
  'table_list',
  'index_list',
  'index_info',
  'index_xinfo',
  'foreign_key_list',
  'foreign_key_check',
  'integrity_check',
  'quick_check',
  'database_list',
  'collation_list',
  'compile_options',
  'function_list',
  'module_list',
  'pragma_list',
  'data_version',
  'freelist_count',
  'page_count',
  'stats',
]);

/** PRAGMAs that do work on the database file rather than set or read a value. */
const WORKING_PRAGMAS = new Set(['optimize', 'wal_checkpoint', 'incremental_vacuum', 'shrink_memory']);

export function lowerSqlite(ast: unknown, defaultSchema: string): Change[] {
  return lower(ast as SqliteStatement, defaultSchema);
}

function lower(s: SqliteStatement, defaultSchema: string): Change[] {
  const q = (n: SqliteName, temporary = false): string =>
    `${n.schema ?? (temporary ? 'temp' : defaultSchema)}.${n.name}`;
  const qs = (names: SqliteName[]): string[] => [...new Set(names.map((n) => q(n)))].sort();
  switch (s.type) {
    case 'create table': {
      const table = q(s.table, s.temporary);
      const schema = table.slice(0, table.indexOf('.'));
      return [
        {
          kind: 'create table',
          table,
          columns: s.columns.map((c) => columnSpec(c, schema)),
          constraints: s.constraints.map((c) => constraintSpec(c, schema)),
          ifNotExists: s.ifNotExists,
          partitionOf: null,
          partitioned: false,
          asSelect: s.asSelect !== null,
          withData: true,
          reads: s.asSelect ? qs(s.asSelect.reads) : [],
          unlogged: false,
          temporary: s.temporary,
        },
      ];
    }
    case 'create virtual table':
      return [{ kind: 'create other', objectType: `virtual table (${s.module})`, name: q(s.table) }];
    case 'alter table':
      return [alter(s, q(s.table))];
    case 'create index': {
      const schema = s.index.schema ?? defaultSchema;
      return [
        {
          kind: 'create index',
          index: {
            name: s.index.name,
            // The table is in the index's schema (CREATE INDEX s.i ON t: t is s.t).
            table: `${schema}.${s.table}`,
            unique: s.unique,
            concurrently: false,
            ifNotExists: s.ifNotExists,
            method: 'btree',
            columns: s.keys.map((k) => k.sql),
            columnNames: s.keys.flatMap((k) => (k.column === null ? [] : [k.column])),
            where: s.where?.sql ?? null,
            only: false,
          },
        },
      ];
    }
    case 'drop': {
      const name = q(s.name);
      if (s.objectType === 'table')
        return [{ kind: 'drop table', tables: [name], ifExists: s.ifExists, cascade: false }];
      if (s.objectType === 'view')
        return [
          { kind: 'drop view', views: [name], materialized: false, ifExists: s.ifExists, cascade: false },
        ];
      if (s.objectType === 'index')
        return [
          { kind: 'drop index', indexes: [name], concurrently: false, ifExists: s.ifExists, cascade: false },
        ];
      // DROP TRIGGER names no table (the trigger's schema is its table's), as on MySQL.
      return [{ kind: 'drop other', objectType: 'trigger', name, ifExists: s.ifExists }];
    }
    case 'create view':
      return [
        {
          kind: 'create view',
          view: q(s.view, s.temporary),
          materialized: false,
          orReplace: false,
          reads: qs(s.reads),
        },
      ];
    case 'create trigger': {
      // A TEMP trigger may be on a table of any schema; otherwise the table is in the trigger's.
      const schema = s.trigger.schema ?? (s.temporary ? null : defaultSchema);
      return [
        {
          kind: 'create trigger',
          table: s.table.schema ? q(s.table) : `${schema ?? defaultSchema}.${s.table.name}`,
          name: s.trigger.name,
        },
      ];
    }
    case 'pragma':
      return [pragma(s)];
    case 'begin':
      return [{ kind: 'transaction', action: 'begin' }];
    case 'commit':
      return [{ kind: 'transaction', action: 'commit' }];
    case 'rollback':
      return [{ kind: 'transaction', action: s.savepoint === null ? 'rollback' : 'rollback to' }];
    case 'savepoint':
      return [{ kind: 'transaction', action: 'savepoint' }];
    case 'release':
      return [{ kind: 'transaction', action: 'release' }];
    case 'insert':
    case 'update':
    case 'delete':
      return [
        { kind: 'dml', operation: s.type, table: q(s.table), hasWhere: s.hasWhere, columns: s.columns },
      ];
    case 'select':
    case 'explain':
      return [{ kind: 'select' }];
    case 'vacuum':
      // VACUUM rebuilds the whole database file; VACUUM INTO writes a copy and changes nothing.
      if (s.into) return [{ kind: 'unknown', statementType: 'VACUUM INTO' }];
      return [{ kind: 'vacuum', command: 'vacuum', tables: [], full: true, analyze: false }];
    case 'analyze':
      return [
        {
          kind: 'vacuum',
          command: 'analyze',
          tables: s.target ? [q(s.target)] : [],
          full: false,
          analyze: true,
        },
      ];
    case 'reindex':
      return [
        s.target
          ? { kind: 'reindex', target: 'table', name: q(s.target), concurrently: false }
          : { kind: 'reindex', target: 'database', name: defaultSchema, concurrently: false },
      ];
    case 'attach':
      return [{ kind: 'unknown', statementType: 'ATTACH' }];
    case 'detach':
      return [{ kind: 'unknown', statementType: 'DETACH' }];
  }
}

function alter(s: Extract<SqliteStatement, { type: 'alter table' }>, table: string): Change {
  const schema = table.slice(0, table.indexOf('.'));
  const a = s.action;
  switch (a.type) {
    case 'rename table':
      return { kind: 'rename table', table, newName: a.newName };
    case 'rename column':
      return { kind: 'rename column', table, column: a.column, newName: a.newName };
    case 'add column':
      return { kind: 'add column', table, column: columnSpec(a.column, schema), ifNotExists: false };
    case 'drop column':
      return { kind: 'drop column', table, column: a.column, ifExists: false, cascade: false };
    case 'add check':
      return {
        kind: 'add constraint',
        table,
        constraint: { type: 'check', name: a.name, expr: expr(a.expr), notValid: false, noInherit: false },
      };
    case 'drop constraint':
      return { kind: 'drop constraint', table, name: a.name, ifExists: false, cascade: false };
    case 'set not null':
      return { kind: 'set not null', table, column: a.column };
    case 'drop not null':
      return { kind: 'drop not null', table, column: a.column };
  }
}

function pragma(s: Extract<SqliteStatement, { type: 'pragma' }>): Change {
  if (WORKING_PRAGMAS.has(s.name)) return { kind: 'unknown', statementType: `PRAGMA ${s.name}` };
  // The name is kept: a rule looks for `PRAGMA foreign_key_check` after a table rebuild.
  if (s.value === null || READING_PRAGMAS.has(s.name)) return { kind: 'select', pragma: s.name };
  const name = s.schema && s.schema.toLowerCase() !== 'main' ? `${s.schema}.${s.name}` : s.name;
  const value = /^'.*'$|^".*"$/s.test(s.value) ? s.value.slice(1, -1) : s.value;
  return { kind: 'set', name, value, local: false };
}
