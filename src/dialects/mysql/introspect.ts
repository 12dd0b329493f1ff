/**
 * A MySQL/MariaDB schema as a SchemaSnapshot, read from information_schema with a fixed number
 * of queries (catalog-queries.ts) inside one read-only transaction, joined in memory, sorted so
 * that the same schema always serialises to the same bytes.
 */
import { InputError, SchemapilotError } from '../../core/errors.js';
import type {
  CheckConstraint,
  Column,
  ForeignKey,
  ForeignKeyAction,
  Index,
  SchemaSnapshot,
  Table,
  Trigger,
  View,
} from '../../core/snapshot.js';
import { compareStrings } from '../../core/sort.js';
import { schemaHash } from '../../schema/hash.js';
import {
  checksQuery,
  columnsQuery,
  foreignKeysQuery,
  indexesQuery,
  partitionsQuery,
  serverQuery,
  SYSTEM_SCHEMAS,
  tablesQuery,
  triggersQuery,
  viewsQuery,
  type CheckRow,
  type ColumnRow,
  type ForeignKeyRow,
  type IndexRow,
  type PartitionRow,
  type ServerRow,
  type TableRow,
  type TriggerRow,
  type ViewRow,
} from './catalog-queries.js';
import { connectMysql } from './connect.js';
import { mysqlFactKey } from './version.js';
import type { MysqlSession } from './session.js';
import { partitionsOf } from './partitions.js';

export interface MysqlIntrospectOptions {
  /** Databases to inspect; default: the connection's database, else every non-system one. */
  schemas?: readonly string[];
  /** Leave row estimates and sizes at zero (a replayed schema has none worth reading). */
  withoutStats?: boolean;
}

/** Connect read-only, take a snapshot, disconnect. */
export async function inspectMysql(
  url: string,
  options: MysqlIntrospectOptions = {},
): Promise<SchemaSnapshot> {
  const session = await connectMysql(url, { readOnly: true });
  try {
    // information_schema opens tables, which waits for a metadata lock a running ALTER holds:
    // give up after 5 s with a message rather than queue (and make others queue) behind it.
    await session.rows('SET SESSION lock_wait_timeout = 5');
    return await introspectMysql(session, options);
  } finally {
    await session.close();
  }
}

/**
 * Read the snapshot in one `START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY`. InnoDB
 * tables' data would be seen at one moment; how far information_schema follows depends on the
 * server (MySQL 8 keeps its data dictionary in InnoDB, MariaDB reads .frm files), so a DDL
 * running during inspect can still show half way. Deploy re-checks the hash for that reason.
 */
export async function introspectMysql(
  session: MysqlSession,
  options: MysqlIntrospectOptions = {},
): Promise<SchemaSnapshot> {
  try {
    await session.rows('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    const snapshot = await readSnapshot(session, options);
    await session.rows('COMMIT');
    return snapshot;
  } catch (error) {
    await session.rows('ROLLBACK').catch(() => undefined);
    if (error instanceof SchemapilotError) throw error;
    const e = error as { code?: unknown; message?: unknown };
    if (e.code === 'ER_LOCK_WAIT_TIMEOUT')
      throw new InputError(
        `inspect of ${session.target} gave up waiting for a metadata lock: another session is altering a table`,
        { cause: error },
      );
    throw new SchemapilotError(
      `reading the schema of ${session.target} failed${typeof e.code === 'string' ? ` (${e.code})` : ''}: ${String(e.message ?? error)}`,
      { cause: error },
    );
  }
}

async function readSnapshot(session: MysqlSession, options: MysqlIntrospectOptions): Promise<SchemaSnapshot> {
  const server = (await session.rows<ServerRow>(serverQuery))[0];
  if (!server) throw new Error('server query returned no row');
  const schemas = resolveSchemas(server, options.schemas, session.target);
  const version = session.version;
  const q = <Row>(sql: string) => session.rows<Row>(sql, [schemas]);
  // One connection runs one query at a time; they go in turn.
  const tableRows = await q<TableRow>(tablesQuery);
  const columnRows = await q<ColumnRow>(columnsQuery);
  const indexRows = await q<IndexRow>(indexesQuery(version));
  const fkRows = await q<ForeignKeyRow>(foreignKeysQuery);
  const checkSql = checksQuery(version);
  const checkRows = checkSql === null ? [] : await q<CheckRow>(checkSql);
  const triggerRows = await q<TriggerRow>(triggersQuery);
  const viewRows = await q<ViewRow>(viewsQuery);
  const partitionRows = await q<PartitionRow>(partitionsQuery);

  const key = (r: { table_schema: string; table_name: string }) => `${r.table_schema}.${r.table_name}`;
  const columnsBy = groupBy(columnRows, key);
  const indexesBy = groupBy(indexRows, key);
  const fksBy = groupBy(fkRows, key);
  const checksBy = groupBy(checkRows, key);
  const triggersBy = groupBy(triggerRows, key);
  const partitionsBy = groupBy(partitionRows, key);
  const viewsBy = new Map(viewRows.map((v) => [key(v), v]));
  const stats = !options.withoutStats;

  const tables: Table[] = [];
  const views: View[] = [];
  for (const t of tableRows) {
    const k = key(t);
    const columns = (columnsBy.get(k) ?? [])
      .sort((a, b) => a.ordinal_position - b.ordinal_position)
      .map((c) => toColumn(c, version.product === 'mariadb'));
    if (t.table_type === 'VIEW') {
      views.push({
        schema: t.table_schema,
        name: t.table_name,
        materialized: false,
        definition: (viewsBy.get(k)?.view_definition ?? '').trim(),
        comment: null,
        columns,
        // information_schema.VIEW_TABLE_USAGE exists on MySQL 8.0.13+ only; not read yet.
        dependsOn: [],
        indexes: [],
      });
      continue;
    }
    const indexes = toIndexes(t, indexesBy.get(k) ?? []);
    const primary = indexes.find((i) => i.primary);
    const partitioning = partitionsOf(partitionsBy.get(k) ?? [], stats);
    tables.push({
      charset: t.table_charset ?? undefined,
      checkConstraints: sortByName((checksBy.get(k) ?? []).map(toCheck)),
      collation: t.table_collation ?? undefined,
      columns,
      comment: t.table_comment ? t.table_comment : null,
      engine: t.engine ?? undefined,
      exclusionConstraints: [],
      foreignKeys: toForeignKeys(fksBy.get(k) ?? []),
      indexes,
      kind: partitioning ? 'partitioned table' : 'table',
      name: t.table_name,
      partitionBound: null,
      partitionKey: partitioning?.key ?? null,
      partitionOf: null,
      ...(partitioning ? { partitions: partitioning.partitions } : {}),
      // A primary key cannot have prefix or DESC parts that matter here: plain column names.
      primaryKey: primary ? { name: primary.name, columns: primary.columns.map(plainName) } : null,
      rowFormat: t.row_format ?? undefined,
      schema: t.table_schema,
      stats: {
        indexBytes: stats ? num(t.index_length) : 0,
        rowEstimate: stats && t.table_rows !== null ? num(t.table_rows) : null,
        tableBytes: stats ? num(t.data_length) : 0,
        ...(partitioning && stats ? { partitions: partitioning.stats } : {}),
      },
      triggers: toTriggers(t, triggersBy.get(k) ?? []),
      uniqueConstraints: indexes
        .filter((i) => i.unique && !i.primary)
        .map((i) => ({
          name: i.name,
          columns: i.columns.map(plainName),
          definition: i.definition,
          deferrable: false,
        })),
    });
  }
  const withoutHash: Omit<SchemaSnapshot, 'hash'> = {
    formatVersion: 1,
    dialect: 'mysql',
    serverVersion: version.text,
    serverVersionNum: mysqlFactKey(version),
    database: server.current_database ?? '',
    schemas: [...schemas].sort(compareStrings),
    tables: tables.sort(bySchemaAndName),
    views: views.sort(bySchemaAndName),
    sequences: [],
    enums: [],
    extensions: [],
    functions: [],
  };
  return { ...withoutHash, hash: schemaHash(withoutHash) };
}

function resolveSchemas(
  server: ServerRow,
  requested: readonly string[] | undefined,
  target: string,
): string[] {
  const raw = server.all_schemas;
  const all: string[] = raw === null ? [] : typeof raw === 'string' ? (JSON.parse(raw) as string[]) : raw;
  if (requested === undefined || requested.length === 0) {
    if (server.current_database) return [server.current_database];
    return all.filter((s) => !SYSTEM_SCHEMAS.includes(s.toLowerCase())).sort(compareStrings);
  }
  const known = new Set(all);
  const unknown = requested.filter((s) => !known.has(s));
  if (unknown.length > 0)
    throw new InputError(
      `unknown database ${unknown.map((s) => `"${s}"`).join(', ')} on ${target}; it has: ${all.filter((s) => !SYSTEM_SCHEMAS.includes(s)).join(', ') || '(no user databases)'}`,
    );
  return [...new Set(requested)];
}

function toColumn(row: ColumnRow, mariadb: boolean): Column {
  const extra = row.extra.toLowerCase();
  const generatedKind = /\bstored generated\b/.test(extra)
    ? 'stored'
    : /\bvirtual generated\b/.test(extra)
      ? 'virtual'
      : undefined;
  // MariaDB writes "default NULL" as the text NULL (a string default 'NULL' comes quoted).
  const defaultExpr =
    row.column_default === null || (mariadb && row.column_default === 'NULL') ? null : row.column_default;
  const onUpdate = /\bon update (\S+)/i.exec(row.extra)?.[1];
  // Keys in alphabetical order, as the PostgreSQL introspector writes them.
  return {
    ...(row.character_set_name ? { charset: row.character_set_name } : {}),
    collation: row.collation_name,
    comment: row.column_comment ? row.column_comment : null,
    default: generatedKind ? null : defaultExpr,
    generated: generatedKind ? (row.generation_expression ?? '') : null,
    ...(generatedKind ? { generatedKind } : {}),
    // AUTO_INCREMENT takes explicit values too: PostgreSQL's GENERATED BY DEFAULT.
    identity: /\bauto_increment\b/.test(extra) ? 'by default' : null,
    name: row.column_name,
    nullable: row.is_nullable === 'YES',
    ...(onUpdate ? { onUpdate } : {}),
    type: row.column_type,
  };
}

function toIndexes(table: TableRow, rows: readonly IndexRow[]): Index[] {
  const byName = groupBy(rows, (r) => r.index_name);
  const indexes: Index[] = [];
  for (const [name, parts] of byName) {
    parts.sort((a, b) => a.seq_in_index - b.seq_in_index);
    const first = parts[0];
    if (!first) continue;
    const method = first.index_type.toLowerCase();
    const unique = Number(first.non_unique) === 0;
    const primary = name === 'PRIMARY';
    const spatial = method === 'spatial';
    const columns = parts.map((p) => keyPart(p, spatial, (n) => n));
    const quoted = parts.map((p) => keyPart(p, spatial, ident));
    const kind = primary
      ? 'PRIMARY KEY'
      : unique
        ? 'UNIQUE INDEX'
        : method === 'fulltext'
          ? 'FULLTEXT INDEX'
          : method === 'spatial'
            ? 'SPATIAL INDEX'
            : 'INDEX';
    const using =
      method === 'btree' || method === 'fulltext' || method === 'spatial' ? '' : ` USING ${first.index_type}`;
    const on = `${ident(table.table_schema)}.${ident(table.table_name)}`;
    indexes.push({
      bytes: 0,
      columns,
      constraint: primary || unique ? name : null,
      definition: primary
        ? `ALTER TABLE ${on} ADD PRIMARY KEY (${quoted.join(', ')})`
        : `CREATE ${kind} ${ident(name)} ON ${on} (${quoted.join(', ')})${using}`,
      include: [],
      method,
      name,
      predicate: null,
      primary,
      unique,
      valid: true,
    });
  }
  return sortByName(indexes);
}

/**
 * `name`, `name(10)` for a prefix, `name DESC`, `(expr)` for a functional part; names unquoted
 * in `Index.columns` as everywhere in the snapshot, quoted in the definition. MariaDB reports a
 * SUB_PART of 32 for SPATIAL key parts, which take no prefix: ignored there.
 */
function keyPart(row: IndexRow, spatial: boolean, quote: (name: string) => string): string {
  const base = row.column_name !== null ? quote(row.column_name) : `(${row.expression ?? ''})`;
  const prefix = row.sub_part !== null && !spatial ? `(${Number(row.sub_part)})` : '';
  return `${base}${prefix}${row.collation === 'D' ? ' DESC' : ''}`;
}

function toCheck(row: CheckRow): CheckConstraint {
  const enforced = row.enforced === 'YES';
  return {
    name: row.constraint_name,
    definition: `CHECK (${row.check_clause})${enforced ? '' : ' NOT ENFORCED'}`,
    validated: enforced,
  };
}

const FK_ACTIONS: Record<string, ForeignKeyAction> = {
  'NO ACTION': 'NO ACTION',
  RESTRICT: 'RESTRICT',
  CASCADE: 'CASCADE',
  'SET NULL': 'SET NULL',
  'SET DEFAULT': 'SET DEFAULT',
};

function toForeignKeys(rows: readonly ForeignKeyRow[]): ForeignKey[] {
  const fks: ForeignKey[] = [];
  for (const [name, parts] of groupBy(rows, (r) => r.constraint_name)) {
    parts.sort((a, b) => a.ordinal_position - b.ordinal_position);
    const first = parts[0];
    if (!first) continue;
    fks.push({
      columns: parts.map((p) => p.column_name),
      deferrable: false,
      // MySQL reports MATCH_OPTION 'NONE' and matches as SIMPLE.
      match: 'SIMPLE',
      name,
      onDelete: FK_ACTIONS[first.delete_rule] ?? 'NO ACTION',
      onUpdate: FK_ACTIONS[first.update_rule] ?? 'NO ACTION',
      referencedColumns: parts.map((p) => p.referenced_column),
      referencedSchema: first.referenced_schema,
      referencedTable: first.referenced_table,
      // Keys added with foreign_key_checks=0 are not checked, and nothing records it.
      validated: true,
    });
  }
  return sortByName(fks);
}

function toTriggers(table: TableRow, rows: readonly TriggerRow[]): Trigger[] {
  return sortByName(
    rows.map((r) => ({
      name: r.trigger_name,
      definition: `CREATE TRIGGER ${ident(r.trigger_name)} ${r.action_timing} ${r.event_manipulation} ON ${ident(table.table_schema)}.${ident(table.table_name)} FOR EACH ROW ${r.action_statement}`,
      // No trigger functions in MySQL: the body above is the trigger's own.
      function: '',
      // MySQL and MariaDB triggers cannot be disabled.
      enabled: 'origin' as const,
    })),
  );
}

/** The column of a key part (`name(10) DESC` → `name`); an expression part stays as it is. */
function plainName(part: string): string {
  return part.startsWith('(') ? part : part.replace(/(\(\d+\))?( DESC)?$/, '');
}

export function ident(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A catalog number (string when it may pass 2^53) as a JS number. */
export function num(value: string | number | null): number {
  return value === null ? 0 : Number(value);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function sortByName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => compareStrings(a.name, b.name));
}

function bySchemaAndName(a: { schema: string; name: string }, b: { schema: string; name: string }): number {
  return compareStrings(a.schema, b.schema) || compareStrings(a.name, b.name);
}
