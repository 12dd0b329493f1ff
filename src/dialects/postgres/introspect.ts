import type pg from 'pg';
import { InputError, SchemapilotError } from '../../core/errors.js';
import type {
  CheckConstraint,
  Column,
  ExclusionConstraint,
  ForeignKey,
  ForeignKeyAction,
  FunctionDef,
  Index,
  SchemaSnapshot,
  Table,
  Trigger,
  UniqueConstraint,
  View,
  ViewDependency,
} from '../../core/snapshot.js';
import { qualifiedName } from '../../core/snapshot.js';
import { bySchemaAndName, compareStrings, groupBy, sortByName } from '../../core/sort.js';
import { schemaHash } from '../../schema/hash.js';
import {
  columnsQuery,
  constraintsQuery,
  enumsQuery,
  extensionsQuery,
  functionsQuery,
  indexDefinition,
  indexesQuery,
  relationsQuery,
  sequencesQuery,
  serverQuery,
  triggersQuery,
  viewDependenciesQuery,
  type ColumnRow,
  type ConstraintRow,
  type EnumRow,
  type ExtensionRow,
  type FunctionRow,
  type IndexRow,
  type RelationRow,
  type SequenceRow,
  type ServerRow,
  type TriggerRow,
  type ViewDependencyRow,
} from './catalog-queries.js';
import { connectPostgres, targetOf } from './connect.js';
import { queryTimeoutMs } from '../../core/timeouts.js';

export interface IntrospectOptions {
  /** Schemas to inspect; default: every non-system schema. Unknown names are an InputError. */
  schemas?: readonly string[];
}

/**
 * Connect, take a snapshot, disconnect. Uses three connections that share one exported
 * snapshot (as `pg_dump -j` does): most of the time goes into the server filling its catalog
 * caches, and separate backends do that in parallel.
 */
export async function inspectPostgres(url: string, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  const connect = () => connectPostgres(url, { applicationName: 'schemapilot inspect', readOnly: true });
  const client = await connect();
  const helpers: pg.Client[] = [];
  try {
    for (let i = 0; i < 2; i++) helpers.push(await connect());
    return await introspectPostgres(client, options, helpers);
  } finally {
    await Promise.all([...helpers, client].map((c) => c.end().catch(() => undefined)));
  }
}

/**
 * Take a snapshot over open connections. Each runs a REPEATABLE READ READ ONLY transaction
 * (nothing can be written); helpers import the first connection's snapshot, so every query
 * sees the same moment. A short lock_timeout means we fail with a clear message rather than
 * queue behind a migration holding ACCESS EXCLUSIVE.
 */
export async function introspectPostgres(
  client: pg.Client,
  options: IntrospectOptions = {},
  helpers: readonly pg.Client[] = [],
): Promise<SchemaSnapshot> {
  const all = [client, ...helpers];
  try {
    await beginReadOnly(client);
    if (helpers.length > 0) {
      const exported = (await client.query<{ id: string }>('SELECT pg_catalog.pg_export_snapshot() AS id'))
        .rows[0]?.id;
      // The id comes from the server, but SET TRANSACTION SNAPSHOT takes no parameters: check its shape.
      if (!exported || !/^[0-9A-F-]+$/i.test(exported)) throw new Error(`unexpected snapshot id ${exported}`);
      for (const helper of helpers) await beginReadOnly(helper, `SET TRANSACTION SNAPSHOT '${exported}'`);
    }
    const snapshot = await readSnapshot(all, options);
    await Promise.all(all.map((c) => c.query('COMMIT')));
    return snapshot;
  } catch (error) {
    await Promise.all(all.map((c) => c.query('ROLLBACK').catch(() => undefined)));
    if ((error as { code?: string }).code === '55P03') {
      throw new InputError(
        'inspect gave up waiting for a lock: another session holds ACCESS EXCLUSIVE on a table',
        {
          cause: error,
        },
      );
    }
    // A snapshot is whole or not at all: any failure part way is the command's failure.
    if (error instanceof SchemapilotError) throw error;
    const e = error as { code?: unknown; message?: unknown };
    const sqlstate = typeof e.code === 'string' ? ` (SQLSTATE ${e.code})` : '';
    throw new SchemapilotError(
      `reading the schema of ${targetOf(client) ?? 'the database'} failed${sqlstate}: ${String(e.message ?? error)}`,
      { cause: error },
    );
  }
}

async function beginReadOnly(client: pg.Client, importSnapshot?: string): Promise<void> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  if (importSnapshot) await client.query(importSnapshot);
  await client.query(`SET LOCAL lock_timeout = '5s'`);
  await client.query(`SET LOCAL statement_timeout = ${queryTimeoutMs()}`);
}

async function readSnapshot(
  clients: readonly pg.Client[],
  options: IntrospectOptions,
): Promise<SchemaSnapshot> {
  const [first] = clients;
  if (!first) throw new Error('no connection');
  const server = (await first.query<ServerRow>(serverQuery)).rows[0];
  if (!server) throw new Error('server query returned no row');
  const schemas = resolveSchemas(server, options.schemas);
  // Columns and indexes are the two big queries: each gets a connection of its own when there
  // are helpers; the small ones share the first.
  const forColumns = clients[1] ?? first;
  const forIndexes = clients[2] ?? forColumns;
  const q = async <Row extends pg.QueryResultRow>(client: pg.Client, sql: string): Promise<Row[]> =>
    (await client.query<Row>(sql, [schemas])).rows;
  // node-pg queues queries on one client, but warns about it; with a single connection run in turn.
  const parallel = clients.length > 1;
  const columnsPromise = parallel ? q<ColumnRow>(forColumns, columnsQuery(server.version_num)) : undefined;
  const indexesPromise = parallel ? q<IndexRow>(forIndexes, indexesQuery(server.version_num)) : undefined;
  // Awaited below; until then a failure of either must not count as unhandled (which ends
  // the process with a stack trace) when a query on the first connection fails first.
  columnsPromise?.catch(() => undefined);
  indexesPromise?.catch(() => undefined);
  const relations = await q<RelationRow>(first, relationsQuery);
  const constraints = await q<ConstraintRow>(first, constraintsQuery);
  const viewDeps = await q<ViewDependencyRow>(first, viewDependenciesQuery);
  const sequences = await q<SequenceRow>(first, sequencesQuery);
  const enums = await q<EnumRow>(first, enumsQuery);
  const triggers = await q<TriggerRow>(first, triggersQuery);
  const extensions = (await first.query<ExtensionRow>(extensionsQuery)).rows;
  const functions = await q<FunctionRow>(first, functionsQuery(server.version_num));
  const columns = (await columnsPromise) ?? (await q<ColumnRow>(first, columnsQuery(server.version_num)));
  const indexes = (await indexesPromise) ?? (await q<IndexRow>(first, indexesQuery(server.version_num)));

  const columnsByRel = groupBy(columns, (c) => c.rel);
  const constraintsByRel = groupBy(constraints, (c) => c.rel);
  const indexesByRel = groupBy(indexes, (i) => i.rel);
  const triggersByRel = groupBy(triggers, (t) => t.rel);
  const depsByView = groupBy(viewDeps, (d) => d.view);

  const tables: Table[] = [];
  const views: View[] = [];
  for (const rel of relations) {
    const relConstraints = constraintsByRel.get(rel.oid) ?? [];
    const relColumns = (columnsByRel.get(rel.oid) ?? []).map((row) => toColumn(row, relConstraints));
    const relIndexes = sortByName((indexesByRel.get(rel.oid) ?? []).map(toIndex));
    if (rel.kind === 'v' || rel.kind === 'm') {
      views.push({
        schema: rel.schema,
        name: rel.name,
        materialized: rel.kind === 'm',
        definition: (rel.view_definition ?? '').trim(),
        comment: rel.comment,
        columns: relColumns,
        dependsOn: toViewDependencies(depsByView.get(rel.oid) ?? []),
        indexes: relIndexes,
      });
      continue;
    }
    const constraintsOfTable = toConstraints(relConstraints);
    // Keys in alphabetical order, as in toColumn.
    tables.push({
      checkConstraints: constraintsOfTable.checkConstraints,
      columns: relColumns,
      comment: rel.comment,
      exclusionConstraints: constraintsOfTable.exclusionConstraints,
      foreignKeys: constraintsOfTable.foreignKeys,
      indexes: relIndexes,
      kind: rel.kind === 'p' ? 'partitioned table' : 'table',
      name: rel.name,
      partitionBound: rel.partition_bound,
      partitionKey: rel.partition_key,
      partitionOf:
        rel.parent_schema !== null && rel.parent_name !== null
          ? qualifiedName(rel.parent_schema, rel.parent_name)
          : null,
      primaryKey: constraintsOfTable.primaryKey,
      schema: rel.schema,
      stats: {
        indexBytes: relIndexes.reduce((sum, i) => sum + i.bytes, 0),
        rowEstimate: rel.reltuples < 0 ? null : Math.round(rel.reltuples),
        tableBytes: rel.table_bytes ?? 0,
      },
      triggers: sortByName((triggersByRel.get(rel.oid) ?? []).map(toTrigger)),
      uniqueConstraints: constraintsOfTable.uniqueConstraints,
    });
  }

  const withoutHash: Omit<SchemaSnapshot, 'hash'> = {
    formatVersion: 1,
    dialect: 'postgres',
    serverVersion: server.version.split(' ')[0] ?? server.version,
    serverVersionNum: server.version_num,
    database: server.database,
    timeZone: server.time_zone,
    schemas: [...schemas].sort(compareStrings),
    tables: tables.sort(bySchemaAndName),
    views: views.sort(bySchemaAndName),
    sequences: sequences
      .map((s) => ({
        schema: s.schema,
        name: s.name,
        dataType: s.data_type,
        start: s.start,
        increment: s.increment,
        min: s.min,
        max: s.max,
        cycle: s.cycle,
        ownedBy: s.owned_by,
      }))
      .sort(bySchemaAndName),
    enums: enums.map((e) => ({ schema: e.schema, name: e.name, values: e.labels })).sort(bySchemaAndName),
    functions: functions
      .map((f) => ({
        arguments: f.arguments,
        definition: f.definition.trim(),
        name: f.name,
        schema: f.schema,
        volatility: VOLATILITY[f.volatility] ?? 'volatile',
      }))
      .sort((a, b) => bySchemaAndName(a, b) || compareStrings(a.arguments, b.arguments)),
    extensions: extensions
      .map((e) => ({ name: e.name, version: e.version, schema: e.schema }))
      .sort((a, b) => compareStrings(a.name, b.name)),
  };
  return { ...withoutHash, hash: schemaHash(withoutHash) };
}

function resolveSchemas(server: ServerRow, requested: readonly string[] | undefined): string[] {
  if (requested === undefined || requested.length === 0) return server.default_schemas;
  const known = new Set(server.all_schemas);
  const unknown = requested.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new InputError(
      `unknown schema ${unknown.map((s) => `"${s}"`).join(', ')} in database "${server.database}"; it has: ${server.default_schemas.join(', ') || '(no user schemas)'}`,
    );
  }
  return [...new Set(requested)];
}

function toColumn(row: ColumnRow, relConstraints: readonly ConstraintRow[]): Column {
  const isGenerated = row.generated === 's' || row.generated === 'v';
  const notNull = relConstraints.find((c) => c.type === 'n' && c.columns[0] === row.name);
  // Postgres 18 sets attnotnull for a NOT VALID not-null constraint too, while old rows may
  // still hold NULLs: such a column is nullable for anyone reading it.
  // Keys in alphabetical order: canonicalJson then need not copy the 50,000 columns of a big schema.
  return {
    collation: row.collation,
    comment: row.comment,
    default: isGenerated ? null : row.default_expr,
    generated: isGenerated ? row.default_expr : null,
    identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null,
    name: row.name,
    ...(notNull ? { notNullConstraint: { name: notNull.name, validated: notNull.validated } } : {}),
    nullable: !row.not_null || notNull?.validated === false,
    type: row.type,
  };
}

const fkActions: Record<string, ForeignKeyAction> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};
const fkMatch: Record<string, ForeignKey['match']> = { s: 'SIMPLE', f: 'FULL', p: 'PARTIAL' };

function toConstraints(
  rows: readonly ConstraintRow[],
): Pick<
  Table,
  'primaryKey' | 'uniqueConstraints' | 'checkConstraints' | 'foreignKeys' | 'exclusionConstraints'
> {
  const pk = rows.find((r) => r.type === 'p');
  const unique: UniqueConstraint[] = [];
  const checks: CheckConstraint[] = [];
  const fks: ForeignKey[] = [];
  const exclusions: ExclusionConstraint[] = [];
  for (const r of rows) {
    if (r.type === 'u') {
      unique.push({
        name: r.name,
        columns: r.columns,
        definition: r.definition ?? '',
        deferrable: r.deferrable,
      });
    } else if (r.type === 'c') {
      checks.push({ name: r.name, definition: r.definition ?? '', validated: r.validated });
    } else if (r.type === 'x') {
      exclusions.push({ name: r.name, definition: r.definition ?? '' });
    } else if (r.type === 'f') {
      fks.push({
        columns: r.columns,
        deferrable: r.deferrable,
        match: fkMatch[r.match] ?? 'SIMPLE',
        name: r.name,
        onDelete: fkActions[r.on_delete] ?? 'NO ACTION',
        onUpdate: fkActions[r.on_update] ?? 'NO ACTION',
        referencedColumns: r.ref_columns,
        referencedSchema: r.ref_schema ?? '',
        referencedTable: r.ref_table ?? '',
        validated: r.validated,
      });
    }
  }
  return {
    primaryKey: pk ? { columns: pk.columns, name: pk.name } : null,
    uniqueConstraints: sortByName(unique),
    checkConstraints: sortByName(checks),
    foreignKeys: sortByName(fks),
    exclusionConstraints: sortByName(exclusions),
  };
}

function toIndex(row: IndexRow): Index {
  // Keys in alphabetical order, as in toColumn.
  return {
    bytes: row.bytes,
    columns: row.all_columns.slice(0, row.key_count),
    constraint: row.constraint_name,
    definition: indexDefinition(row),
    include: row.all_columns.slice(row.key_count),
    method: row.method,
    name: row.name,
    predicate: row.predicate,
    primary: row.is_primary,
    unique: row.is_unique,
    valid: row.is_valid,
  };
}

const VOLATILITY: Record<string, FunctionDef['volatility']> = { i: 'immutable', s: 'stable', v: 'volatile' };

const triggerEnabled: Record<string, Trigger['enabled']> = {
  O: 'origin',
  D: 'disabled',
  R: 'replica',
  A: 'always',
};

function toTrigger(row: TriggerRow): Trigger {
  return {
    name: row.name,
    definition: row.definition,
    function: row.function,
    enabled: triggerEnabled[row.enabled] ?? 'origin',
  };
}

function toViewDependencies(rows: readonly ViewDependencyRow[]): ViewDependency[] {
  const byRelation = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = qualifiedName(row.ref_schema, row.ref_name);
    const columns = byRelation.get(key) ?? new Set<string>();
    if (row.ref_column !== null) columns.add(row.ref_column);
    byRelation.set(key, columns);
  }
  return [...byRelation.entries()]
    .map(([relation, columns]) => ({ relation, columns: [...columns].sort(compareStrings) }))
    .sort((a, b) => compareStrings(a.relation, b.relation));
}
