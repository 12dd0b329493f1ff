/**
 * Catalog rows of one SQLite table → the snapshot's Table: columns from pragma_table_xinfo,
 * keys and indexes from pragma_index_list/xinfo, foreign keys from pragma_foreign_key_list,
 * and from the table's CREATE statement what those do not say (table-sql.ts, index-sql.ts).
 */
import type {
  CheckConstraint,
  Column,
  ForeignKey,
  ForeignKeyAction,
  Index,
  PrimaryKey,
  Table,
  UniqueConstraint,
} from '../../../core/snapshot.js';
import { compareStrings, groupBy, sortByName } from '../../../core/sort.js';
import { quoteIdent } from '../quote.js';
import type { ColumnRow, ForeignKeyRow, IndexColumnRow, IndexRow } from './catalog.js';
import { parseCreateIndex } from './index-sql.js';
import type { ParsedTable } from './table-sql.js';

export interface TableInput {
  schema: string;
  name: string;
  sql: string;
  parsed: ParsedTable;
  withoutRowid: boolean;
  strict: boolean;
  columns: readonly ColumnRow[];
  indexes: readonly IndexRow[];
  /** Key columns of each index, by index name. */
  indexColumns: ReadonlyMap<string, readonly IndexColumnRow[]>;
  /** CREATE INDEX text of each written index, by name. */
  indexSql: ReadonlyMap<string, string>;
  foreignKeys: readonly ForeignKeyRow[];
  /** Primary key columns of a table, by lower-cased name: what a key naming no parent columns references. */
  primaryKeyOf: (table: string) => { name: string; columns: string[] } | undefined;
}

/**
 * The INTEGER PRIMARY KEY column that is the rowid, if any: a rowid table's single-column key
 * declared exactly INTEGER, not `PRIMARY KEY DESC` (https://www.sqlite.org/lang_createtable.html#rowid).
 */
export function rowidAlias(input: Pick<TableInput, 'columns' | 'parsed' | 'withoutRowid'>): string | null {
  if (input.withoutRowid) return null;
  const keys = input.columns.filter((c) => c.pk > 0);
  const only = keys[0];
  if (keys.length !== 1 || !only || only.type.toUpperCase() !== 'INTEGER') return null;
  return input.parsed.columns.get(only.name.toLowerCase())?.primaryKeyDesc ? null : only.name;
}

export function toTable(input: TableInput): Omit<Table, 'stats' | 'triggers'> {
  const alias = rowidAlias(input);
  const columns = [...input.columns]
    .filter((c) => c.hidden !== 1)
    .sort((a, b) => a.cid - b.cid)
    .map((c) => toColumn(c, input, alias));
  const indexes = toIndexes(input);
  const table: Omit<Table, 'stats' | 'triggers'> = {
    checkConstraints: toChecks(input),
    columns,
    comment: null,
    definition: input.sql,
    exclusionConstraints: [],
    foreignKeys: toForeignKeys(input),
    indexes,
    kind: 'table',
    name: input.name,
    partitionBound: null,
    partitionKey: null,
    partitionOf: null,
    primaryKey: toPrimaryKey(input, indexes),
    schema: input.schema,
    strict: input.strict,
    uniqueConstraints: toUniqueConstraints(input, indexes),
    withoutRowid: input.withoutRowid,
  };
  return table;
}

function toColumn(row: ColumnRow, input: TableInput, alias: string | null): Column {
  const parsed = input.parsed.columns.get(row.name.toLowerCase());
  const generatedKind = row.hidden === 3 ? 'stored' : row.hidden === 2 ? 'virtual' : undefined;
  const isAlias = row.name === alias;
  // Keys in alphabetical order, as the other introspectors write them.
  const column = {} as Column;
  column.collation = parsed?.collation ?? null;
  column.comment = null;
  column.default = generatedKind ? null : (parsed?.default ?? row.dflt_value);
  column.generated = generatedKind ? (parsed?.generated ?? '') : null;
  if (generatedKind) column.generatedKind = generatedKind;
  // The rowid alias takes the next rowid when given none (or NULL), and any value given: BY DEFAULT.
  column.identity = isAlias ? 'by default' : null;
  column.name = row.name;
  // NOT NULL as SQLite enforces it: declared, a WITHOUT ROWID table's key, or the rowid itself.
  // (A rowid table's other key columns take NULLs: https://www.sqlite.org/lang_createtable.html#the_primary_key)
  column.nullable = !(row.notnull === 1 || isAlias || (input.withoutRowid && row.pk > 0));
  column.type = row.type;
  return column;
}

function toIndexes(input: TableInput): Index[] {
  const on = quoteIdent(input.name);
  return sortByName(
    input.indexes.map((row): Index => {
      const keys = [...(input.indexColumns.get(row.name) ?? [])]
        .filter((k) => k.key === 1)
        .sort((a, b) => a.seqno - b.seqno);
      const sql = input.indexSql.get(row.name);
      const parsed = sql !== undefined ? parseCreateIndex(sql) : undefined;
      const columns = keys.map((k) => {
        const part = parsed?.parts[k.seqno];
        const base = k.cid >= 0 ? (k.name ?? '') : k.cid === -1 ? 'rowid' : (part?.expression ?? '?');
        const collate = part?.collation ? ` COLLATE ${part.collation}` : '';
        return `${base}${collate}${k.desc === 1 ? ' DESC' : ''}`;
      });
      const plain = keys.map((k) => quoteIdent(k.name ?? 'rowid'));
      const constraint = row.origin === 'c' ? null : row.name;
      return {
        bytes: 0,
        columns,
        constraint,
        // An autoindex has no SQL of its own: the constraint it implements stands for it.
        definition:
          sql ?? `${row.origin === 'pk' ? 'PRIMARY KEY' : 'UNIQUE'} (${plain.join(', ')}) -- of ${on}`,
        include: [],
        method: 'btree',
        name: row.name,
        predicate: row.partial === 1 ? (parsed?.where ?? null) : null,
        primary: row.origin === 'pk',
        unique: row.unique === 1,
        valid: true,
      };
    }),
  );
}

function toPrimaryKey(input: TableInput, indexes: readonly Index[]): PrimaryKey | null {
  const keys = input.columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  if (keys.length === 0) return null;
  const index = indexes.find((i) => i.primary);
  return {
    name: input.parsed.primaryKeyName ?? index?.name ?? `${input.name}_pkey`,
    columns: keys.map((k) => k.name),
  };
}

function toUniqueConstraints(input: TableInput, indexes: readonly Index[]): UniqueConstraint[] {
  const keysOf = (name: string) =>
    [...(input.indexColumns.get(name) ?? [])]
      .filter((k) => k.key === 1)
      .sort((a, b) => a.seqno - b.seqno)
      .map((k) => k.name ?? 'rowid');
  return indexes
    .filter((i) => i.constraint !== null && !i.primary)
    .map((i) => {
      const columns = keysOf(i.name);
      return {
        name: i.name,
        columns,
        definition: `UNIQUE (${columns.map(quoteIdent).join(', ')})`,
        deferrable: false,
      };
    });
}

/** Unnamed checks are named as PostgreSQL would: `<table>_<column>_check`, `<table>_check`, numbered when repeated. */
function toChecks(input: TableInput): CheckConstraint[] {
  const taken = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let n = 1; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    return name;
  };
  for (const c of input.parsed.checks) if (c.name !== null) taken.add(c.name);
  return sortByName(
    input.parsed.checks.map((c) => ({
      name: c.name ?? unique(c.column === null ? `${input.name}_check` : `${input.name}_${c.column}_check`),
      definition: `CHECK (${c.expression})`,
      validated: true,
    })),
  );
}

const ACTIONS: Record<string, ForeignKeyAction> = {
  'NO ACTION': 'NO ACTION',
  RESTRICT: 'RESTRICT',
  CASCADE: 'CASCADE',
  'SET NULL': 'SET NULL',
  'SET DEFAULT': 'SET DEFAULT',
};

/**
 * Foreign keys by pragma id; the names and DEFERRABLE come from the CREATE statement, matched
 * by columns and parent. Unnamed ones are named `<table>_<columns>_fkey` (PostgreSQL's way), so
 * a rebuild that keeps the key keeps its name.
 */
function toForeignKeys(input: TableInput): ForeignKey[] {
  const parsed = [...input.parsed.foreignKeys];
  const taken = new Set(parsed.flatMap((p) => (p.name === null ? [] : [p.name])));
  const fks: ForeignKey[] = [];
  const byId = [...groupBy(input.foreignKeys, (r) => String(r.id)).values()];
  // pragma ids run from the last declared key to the first: declaration order names them stably.
  byId.sort((a, b) => (b[0]?.id ?? 0) - (a[0]?.id ?? 0));
  for (const parts of byId) {
    parts.sort((a, b) => a.seq - b.seq);
    const first = parts[0];
    if (!first) continue;
    const columns = parts.map((p) => p.from);
    const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase()).join('\0');
    const at = parsed.findIndex(
      (p) => lower(p.columns) === lower(columns) && p.table.toLowerCase() === first.parent.toLowerCase(),
    );
    const match = at === -1 ? undefined : parsed.splice(at, 1)[0];
    const parentKey = input.primaryKeyOf(first.parent);
    const referencedColumns = parts.every((p) => p.to !== null)
      ? parts.map((p) => p.to as string)
      : (parentKey?.columns ?? []);
    let name = match?.name ?? `${input.name}_${columns.join('_')}_fkey`;
    if (match?.name == null) {
      const base = name;
      for (let n = 1; taken.has(name); n++) name = `${base}${n}`;
    }
    taken.add(name);
    fks.push({
      columns,
      deferrable: match?.deferred ?? false,
      // SQLite parses MATCH and ignores it: every key matches SIMPLE.
      match: 'SIMPLE',
      name,
      onDelete: ACTIONS[first.on_delete.toUpperCase()] ?? 'NO ACTION',
      onUpdate: ACTIONS[first.on_update.toUpperCase()] ?? 'NO ACTION',
      referencedColumns,
      referencedSchema: input.schema,
      referencedTable: parentKey?.name ?? first.parent,
      // Existing rows are never checked when a key is declared (and not at all with
      // foreign_keys off): PRAGMA foreign_key_check is what finds violations.
      validated: true,
    });
  }
  return fks.sort((a, b) => compareStrings(a.name, b.name));
}
