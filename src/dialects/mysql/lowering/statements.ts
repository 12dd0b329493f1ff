/**
 * Every statement but ALTER TABLE and CREATE TABLE: indexes, views, drops and renames,
 * maintenance, session settings, transactions and rows.
 */
import type { Change } from '../../../core/change.js';
import { ddlOptions, dropIndex } from './alter.js';
import { columnName, expr, isNode, nodes, relationsRead, str, tableName, type Node } from './common.js';
import { indexSpec } from './table.js';

export function lowerCreateIndex(node: Node, defaultSchema: string): Change[] {
  const table = tableName(node['table'], defaultSchema);
  const kind = (str(node['index_type']) ?? '').toLowerCase();
  const options = ddlOptions(nodes([node['algorithm_option'], node['lock_option']]));
  return [{ kind: 'create index', index: indexSpec(node, table, kind, node['index_columns']), ...options }];
}

export function lowerCreateView(node: Node, defaultSchema: string): Change[] {
  return [
    {
      kind: 'create view',
      view: tableName(node['view'], defaultSchema),
      materialized: false,
      orReplace: Boolean(node['replace']),
      reads: relationsRead(node['select'], defaultSchema),
    },
  ];
}

export function lowerDrop(node: Node, defaultSchema: string): Change[] {
  const keyword = str(node['keyword']) ?? '';
  const ifExists = /if exists/i.test(str(node['prefix']) ?? '');
  // DROP SCHEMA is DROP DATABASE in MySQL: a database is what PostgreSQL calls a schema, but
  // users (and the drop-database rule) call it a database.
  if ((keyword === 'database' || keyword === 'schema') && typeof node['name'] === 'string')
    return [{ kind: 'drop database', database: node['name'], ifExists, force: false }];
  const names = nodes(node['name']).map((n) => tableName(n, defaultSchema));
  if (keyword === 'table') return [{ kind: 'drop table', tables: names, ifExists, cascade: false }];
  if (keyword === 'view')
    return [{ kind: 'drop view', views: names, materialized: false, ifExists, cascade: false }];
  if (keyword === 'trigger') {
    // MySQL's DROP TRIGGER names no table; the trigger's schema is its table's.
    return nodes(node['name']).map((n) => ({
      kind: 'drop other',
      objectType: 'trigger',
      name: `${str(n['schema']) ?? defaultSchema}.${str(n['trigger']) ?? ''}`,
      ifExists,
    }));
  }
  if (keyword === 'index') {
    const drop = dropIndex(tableName(node['table'], defaultSchema), columnName(node['name']), false);
    return [{ ...drop, ...ddlOptions(nodes(node['options'])) }];
  }
  return [{ kind: 'unknown', statementType: `DROP ${keyword.toUpperCase()}` }];
}

/** RENAME TABLE a TO b, c TO d: one `rename table` per pair, in order (the server runs them so). */
export function lowerRename(node: Node, defaultSchema: string): Change[] {
  const pairs = Array.isArray(node['table']) ? (node['table'] as unknown[]) : [];
  return pairs.flatMap((pair): Change[] => {
    const [from, to] = nodes(pair);
    if (!from || !to) return [];
    return [
      { kind: 'rename table', table: tableName(from, defaultSchema), newName: tableName(to, defaultSchema) },
    ];
  });
}

export function lowerTruncate(node: Node, defaultSchema: string): Change[] {
  return [
    { kind: 'truncate', tables: nodes(node['name']).map((n) => tableName(n, defaultSchema)), cascade: false },
  ];
}

/** OPTIMIZE TABLE rebuilds InnoDB tables (recreate + analyze): an `alter table other` per table. */
export function lowerOptimize(node: Node, defaultSchema: string): Change[] {
  return nodes(node['table']).map((t) => ({
    kind: 'alter table other' as const,
    table: tableName(t, defaultSchema),
    subtype: 'OPTIMIZE TABLE',
    rewrites: true,
  }));
}

export function lowerAnalyze(node: Node, defaultSchema: string): Change[] {
  const tables = nodes(node['table']).map((t) => tableName(t, defaultSchema));
  return [{ kind: 'vacuum', command: 'analyze', tables, full: false, analyze: true }];
}

/**
 * SET: one Change per assignment. lock_wait_timeout (seconds) bounds the wait for a metadata
 * lock, the wait PostgreSQL's lock_timeout bounds: `set timeout` lock_timeout in ms. MariaDB's
 * max_statement_time (seconds) is statement_timeout. MySQL has no SET LOCAL (LOCAL means
 * SESSION), so `local` is false; a GLOBAL setting does not apply to this session and stays a
 * plain `set` named `global.<name>`.
 */
export function lowerSet(node: Node): Change[] {
  const scope = (str(node['keyword']) ?? '').toLowerCase();
  return nodes(node['expr']).map((a): Change => {
    const left = isNode(a['left']) ? a['left'] : {};
    const members = Array.isArray(left['members']) ? left['members'].map(String) : [];
    const prefix = str(left['prefix']) ?? '';
    let name = str(left['name']) ?? '';
    let global = scope === 'global' || scope === 'persist' || scope === 'persist_only';
    // @@session.x / @@global.x come as name=session, members=[x].
    if (prefix === '@@' && members.length > 0 && /^(session|global|local)$/i.test(name)) {
      global = /^global$/i.test(name);
      name = members.join('.');
    } else if (prefix === '@') name = `@${name}`;
    const right = a['right'];
    const setting = name.toLowerCase();
    if (isNode(right) && right['type'] === 'default')
      return { kind: 'set', name: global ? `global.${name}` : name, value: 'DEFAULT', local: false };
    const value = expr(right);
    const seconds = Number(value.sql);
    if (!global && value.constant && Number.isFinite(seconds)) {
      if (setting === 'lock_wait_timeout')
        return { kind: 'set timeout', setting: 'lock_timeout', ms: seconds * 1000, local: false };
      if (setting === 'max_statement_time')
        return { kind: 'set timeout', setting: 'statement_timeout', ms: seconds * 1000, local: false };
    }
    return { kind: 'set', name: global ? `global.${name}` : name, value: value.sql, local: false };
  });
}

export function lowerSetNames(node: Node): Change[] {
  const collate = str(node['collate']);
  const value = `${str(node['charset']) ?? ''}${collate ? ` COLLATE ${collate}` : ''}`;
  return [{ kind: 'set', name: 'names', value, local: false }];
}

export function lowerTransaction(node: Node): Change[] {
  const e = isNode(node['expr']) ? node['expr'] : {};
  const action = isNode(e['action']) ? (str(e['action']['value']) ?? '') : '';
  const word = action.toLowerCase();
  if (word === 'start' || word === 'begin') return [{ kind: 'transaction', action: 'begin' }];
  if (word === 'commit') return [{ kind: 'transaction', action: 'commit' }];
  if (word === 'rollback') return [{ kind: 'transaction', action: 'rollback' }];
  return [{ kind: 'unknown', statementType: `TRANSACTION ${action.toUpperCase()}` }];
}

/**
 * INSERT / REPLACE / UPDATE / DELETE: the table written to (an alias in a multi-table UPDATE or
 * DELETE resolved to its table), whether there is a WHERE, the columns written. REPLACE is an
 * `insert` (it deletes and inserts rows with the same key).
 */
export function lowerDml(node: Node, defaultSchema: string): Change[] {
  const type = str(node['type']) ?? '';
  const tables = nodes(node['table']);
  const from = nodes(node['from']);
  const byAlias = (name: string | null): Node | undefined =>
    name === null
      ? undefined
      : [...tables, ...from].find((t) => t['as'] === name || (t['as'] === null && t['table'] === name));
  const hasWhere = node['where'] !== null && node['where'] !== undefined;
  if (type === 'insert' || type === 'replace') {
    const columns = Array.isArray(node['columns']) ? node['columns'].map((c) => columnName(c)) : [];
    return [
      {
        kind: 'dml',
        operation: 'insert',
        table: tableName(tables[0], defaultSchema),
        hasWhere: false,
        columns,
      },
    ];
  }
  if (type === 'update') {
    const set = nodes(node['set']);
    const target = byAlias(str(set[0]?.['table'] ?? null)) ?? tables[0];
    return [
      {
        kind: 'dml',
        operation: 'update',
        table: tableName(target, defaultSchema),
        hasWhere,
        columns: set.map((s) => columnName(s['column'])),
      },
    ];
  }
  // DELETE t1 FROM t1 JOIN t2: `table` names the targets, `from` the sources.
  const target = byAlias(str(tables[0]?.['table'] ?? null)) ?? tables[0] ?? from[0];
  return [
    { kind: 'dml', operation: 'delete', table: tableName(target, defaultSchema), hasWhere, columns: [] },
  ];
}

/** CREATE TRIGGER (node-sql-parser's node, or supplement.ts's for a trigger with a body). */
export function lowerCreateTrigger(node: Node, defaultSchema: string): Change[] {
  const table = tableName(node['table'], defaultSchema);
  const trigger = isNode(node['trigger']) ? (str(node['trigger']['table']) ?? '') : '';
  return [{ kind: 'create trigger', table, name: trigger }];
}

/** CREATE / DROP PROCEDURE, FUNCTION, EVENT: catalog entries that hold no rows. */
export function lowerProgram(node: Node, defaultSchema: string): Change[] {
  const objectType = str(node['objectType']) ?? 'routine';
  const name = tableName(node['name'], defaultSchema);
  if (node['type'] === 'create_program') return [{ kind: 'create other', objectType, name }];
  return [{ kind: 'drop other', objectType, name, ifExists: node['if_exists'] === true }];
}
