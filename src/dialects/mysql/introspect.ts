/**
 * A MySQL/MariaDB schema as a SchemaSnapshot, read from information_schema with a fixed number
 * of queries (catalog-queries.ts) inside read-only transactions, joined in memory, sorted so
 * that the same schema always serialises to the same bytes. `inspectMysql` spreads the queries
 * over three sessions (the server answers them in parallel); `introspectMysql` on one session
 * sends them in turn.
 */
import { InputError, SchemapilotError } from '../../core/errors.js';
import type { SchemaSnapshot, Table, View } from '../../core/snapshot.js';
import { bySchemaAndName, compareStrings, groupBy, sortByName } from '../../core/sort.js';
import { schemaHash } from '../../schema/hash.js';
import {
  charsetOfCollation,
  checksQuery,
  columnsQuery,
  foreignKeyColumnsQuery,
  foreignKeyRulesQuery,
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
  type ForeignKeyRuleRow,
  type IndexRow,
  type PartitionRow,
  type ServerRow,
  type TableRow,
  type TriggerRow,
  type ViewRow,
} from './catalog-queries.js';
import { num, plainName, toCheck, toColumn, toForeignKeys, toIndexes, toTriggers } from './catalog-rows.js';
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
  const sessions: MysqlSession[] = [];
  try {
    // One read after another on one session spent 1.4 s of 2 s on 5,000 tables (bench/RESULTS.md);
    // three sessions let the server answer the big catalog queries side by side. MariaDB's
    // information_schema is not read in one snapshot anyway (introspectMysql says why), so
    // three sessions lose no consistency one had.
    for (let i = 0; i < 3; i++) {
      const session = await connectMysql(url, { readOnly: true });
      sessions.push(session);
      // information_schema opens tables, which waits for a metadata lock a running ALTER holds:
      // give up after 5 s with a message rather than queue (and make others queue) behind it.
      await session.rows('SET SESSION lock_wait_timeout = 5');
    }
    const [first, ...helpers] = sessions;
    if (!first) throw new Error('no session');
    return await introspectMysql(first, options, helpers);
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
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
  /** More sessions on the same server to share the catalog queries with. */
  helpers: readonly MysqlSession[] = [],
): Promise<SchemaSnapshot> {
  const all = [session, ...helpers];
  try {
    await Promise.all(all.map((s) => s.rows('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY')));
    const snapshot = await readSnapshot(session, helpers, options);
    await Promise.all(all.map((s) => s.rows('COMMIT')));
    return snapshot;
  } catch (error) {
    await Promise.all(all.map((s) => s.rows('ROLLBACK').catch(() => undefined)));
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

async function readSnapshot(
  session: MysqlSession,
  helpers: readonly MysqlSession[],
  options: MysqlIntrospectOptions,
): Promise<SchemaSnapshot> {
  const server = (await session.rows<ServerRow>(serverQuery))[0];
  if (!server) throw new Error('server query returned no row');
  const schemas = resolveSchemas(server, options.schemas, session.target);
  const version = session.version;
  const q = spread([session, ...helpers], schemas);
  // All sent at once, the slowest first: each session answers its share in turn.
  const indexRowsP = q<IndexRow>(indexesQuery(version));
  const fkColumnsP = q<Omit<ForeignKeyRow, 'update_rule' | 'delete_rule'>>(foreignKeyColumnsQuery);
  const columnRowsP = q<ColumnRow>(columnsQuery);
  const tableRowsP = q<TableRow>(tablesQuery);
  const fkRulesP = q<ForeignKeyRuleRow>(foreignKeyRulesQuery);
  const checkSql = checksQuery(version);
  const checkRowsP = checkSql === null ? Promise.resolve([]) : q<CheckRow>(checkSql);
  const viewRowsP = q<ViewRow>(viewsQuery);
  const triggerRowsP = q<TriggerRow>(triggersQuery);
  const tableRows = await tableRowsP;
  const anyPartitioned = tableRows.some((t) => /\bpartitioned\b/i.test(t.create_options ?? ''));
  const partitionRowsP = anyPartitioned ? q<PartitionRow>(partitionsQuery) : Promise.resolve([]);
  const [columnRows, indexRows, fkColumns, fkRuleRows, checkRows, triggerRows, viewRows, partitionRows] =
    await Promise.all([
      columnRowsP,
      indexRowsP,
      fkColumnsP,
      fkRulesP,
      checkRowsP,
      triggerRowsP,
      viewRowsP,
      partitionRowsP,
    ]);
  const fkRules = new Map(
    fkRuleRows.map((r) => [`${r.table_schema}.${r.table_name}.${r.constraint_name}`, r]),
  );
  const fkRows: ForeignKeyRow[] = fkColumns.flatMap((c) => {
    const rule = fkRules.get(`${c.table_schema}.${c.table_name}.${c.constraint_name}`);
    return rule ? [{ ...c, update_rule: rule.update_rule, delete_rule: rule.delete_rule }] : [];
  });

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
      charset: t.table_collation ? charsetOfCollation(t.table_collation) : undefined,
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

/**
 * A query function that hands each query to the session with the fewest waiting (one session
 * runs one query at a time; mysql2 queues the rest), every query bound to the schemas read.
 */
function spread(sessions: readonly MysqlSession[], schemas: string[]) {
  const waiting = sessions.map(() => 0);
  return <Row>(sql: string): Promise<Row[]> => {
    const i = waiting.indexOf(Math.min(...waiting));
    const session = sessions[i];
    if (!session) throw new Error('no session to query');
    waiting[i] = (waiting[i] ?? 0) + 1;
    return session.rows<Row>(sql, [schemas]).finally(() => (waiting[i] = (waiting[i] ?? 1) - 1));
  };
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
