import type pg from 'pg';
import { InputError } from '../../core/errors.js';
import type {
  CheckConstraint,
  Column,
  ExclusionConstraint,
  ForeignKey,
  ForeignKeyAction,
  Index,
  SchemaSnapshot,
  Table,
  Trigger,
  UniqueConstraint,
  View,
  ViewDependency,
} from '../../core/snapshot.js';
import { qualifiedName } from '../../core/snapshot.js';
import { compareStrings } from '../../core/sort.js';
import { schemaHash } from '../../schema/hash.js';
import {
  columnsQuery,
  constraintsQuery,
  enumsQuery,
  extensionsQuery,
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
  type IndexRow,
  type RelationRow,
  type SequenceRow,
  type ServerRow,
  type TriggerRow,
  type ViewDependencyRow,
} from './catalog-queries.js';
import { connectPostgres } from './connect.js';

export interface IntrospectOptions {
  /** Schemas to inspect; default: every non-system schema. Unknown names are an InputError. */
  schemas?: readonly string[];
}

/** Connect, take a snapshot in a read-only transaction, disconnect. */
export async function inspectPostgres(url: string, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
  const client = await connectPostgres(url, { applicationName: 'schemapilot inspect' });
  try {
    return await introspectPostgres(client, options);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Take a snapshot over an open connection. Runs in its own REPEATABLE READ READ ONLY
 * transaction, so every query sees the same moment and nothing can be written. A short
 * lock_timeout keeps us from queueing behind a migration that holds ACCESS EXCLUSIVE
 * (pg_table_size opens each relation): we fail with a clear message instead of hanging.
 */
export async function introspectPostgres(
  client: pg.Client,
  options: IntrospectOptions = {},
): Promise<SchemaSnapshot> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query(`SET LOCAL lock_timeout = '5s'`);
    await client.query(`SET LOCAL statement_timeout = '120s'`);
    const snapshot = await readSnapshot(client, options);
    await client.query('COMMIT');
    return snapshot;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code === '55P03') {
      throw new InputError(
        'inspect gave up waiting for a lock: another session holds ACCESS EXCLUSIVE on a table',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

async function readSnapshot(client: pg.Client, options: IntrospectOptions): Promise<SchemaSnapshot> {
  const server = (await client.query<ServerRow>(serverQuery)).rows[0];
  if (!server) throw new Error('server query returned no row');
  const schemas = resolveSchemas(server, options.schemas);
  const params = [schemas];
  const q = async <Row extends pg.QueryResultRow>(sql: string): Promise<Row[]> =>
    (await client.query<Row>(sql, params)).rows;

  const relations = await q<RelationRow>(relationsQuery);
  const columns = await q<ColumnRow>(columnsQuery(server.version_num));
  const constraints = await q<ConstraintRow>(constraintsQuery);
  const indexes = await q<IndexRow>(indexesQuery);
  const viewDeps = await q<ViewDependencyRow>(viewDependenciesQuery);
  const sequences = await q<SequenceRow>(sequencesQuery);
  const enums = await q<EnumRow>(enumsQuery);
  const triggers = await q<TriggerRow>(triggersQuery);
  const extensions = (await client.query<ExtensionRow>(extensionsQuery)).rows;

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
    tables.push({
      schema: rel.schema,
      name: rel.name,
      kind: rel.kind === 'p' ? 'partitioned table' : 'table',
      comment: rel.comment,
      columns: relColumns,
      ...toConstraints(relConstraints),
      indexes: relIndexes,
      triggers: sortByName((triggersByRel.get(rel.oid) ?? []).map(toTrigger)),
      partitionOf:
        rel.parent_schema !== null && rel.parent_name !== null
          ? qualifiedName(rel.parent_schema, rel.parent_name)
          : null,
      partitionBound: rel.partition_bound,
      partitionKey: rel.partition_key,
      stats: {
        rowEstimate: rel.reltuples < 0 ? null : Math.round(rel.reltuples),
        tableBytes: rel.table_bytes ?? 0,
        indexBytes: rel.index_bytes ?? 0,
      },
    });
  }

  const withoutHash: Omit<SchemaSnapshot, 'hash'> = {
    formatVersion: 1,
    dialect: 'postgres',
    serverVersion: server.version.split(' ')[0] ?? server.version,
    serverVersionNum: server.version_num,
    database: server.database,
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
  const column: Column = {
    name: row.name,
    type: row.type,
    nullable: !row.not_null || notNull?.validated === false,
    default: isGenerated ? null : row.default_expr,
    identity: row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null,
    generated: isGenerated ? row.default_expr : null,
    collation: row.collation,
    comment: row.comment,
  };
  if (notNull) column.notNullConstraint = { name: notNull.name, validated: notNull.validated };
  return column;
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
      unique.push({ name: r.name, columns: r.columns, definition: r.definition, deferrable: r.deferrable });
    } else if (r.type === 'c') {
      checks.push({ name: r.name, definition: r.definition, validated: r.validated });
    } else if (r.type === 'x') {
      exclusions.push({ name: r.name, definition: r.definition });
    } else if (r.type === 'f') {
      fks.push({
        name: r.name,
        columns: r.columns,
        referencedSchema: r.ref_schema ?? '',
        referencedTable: r.ref_table ?? '',
        referencedColumns: r.ref_columns,
        onUpdate: fkActions[r.on_update] ?? 'NO ACTION',
        onDelete: fkActions[r.on_delete] ?? 'NO ACTION',
        match: fkMatch[r.match] ?? 'SIMPLE',
        deferrable: r.deferrable,
        validated: r.validated,
      });
    }
  }
  return {
    primaryKey: pk ? { name: pk.name, columns: pk.columns } : null,
    uniqueConstraints: sortByName(unique),
    checkConstraints: sortByName(checks),
    foreignKeys: sortByName(fks),
    exclusionConstraints: sortByName(exclusions),
  };
}

function toIndex(row: IndexRow): Index {
  return {
    name: row.name,
    columns: row.columns,
    include: row.include,
    unique: row.is_unique,
    primary: row.is_primary,
    valid: row.is_valid,
    method: row.method,
    predicate: row.predicate,
    constraint: row.constraint_name,
    definition: row.definition,
    bytes: row.bytes,
  };
}

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
