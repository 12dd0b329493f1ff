/**
 * Variations of the rule-test schema (test/support/schema-fixture.ts) for rules that depend on
 * an index, a missing primary key, or partitions. Each returns a fresh snapshot.
 */
import type { Index, SchemaSnapshot, Table } from '../../src/core/snapshot.js';
import { testSchema } from '../support/schema-fixture.js';

function edit(schema: SchemaSnapshot, table: string, change: (t: Table) => void): SchemaSnapshot {
  const t = schema.tables.find((x) => x.name === table);
  if (!t) throw new Error(`no table ${table} in the test schema`);
  change(t);
  return schema;
}

/** The test schema (or `base`) plus a plain btree index `name` on `table (columns)`. */
export function withIndex(
  table: string,
  name: string,
  columns: string[],
  options: { unique?: boolean; major?: number; base?: SchemaSnapshot } = {},
): SchemaSnapshot {
  const index: Index = {
    bytes: 0,
    columns,
    constraint: null,
    definition: `CREATE ${options.unique ? 'UNIQUE ' : ''}INDEX ${name} ON public.${table} USING btree (${columns.join(', ')})`,
    include: [],
    method: 'btree',
    name,
    predicate: null,
    primary: false,
    unique: options.unique ?? false,
    valid: true,
  };
  return edit(options.base ?? testSchema(options.major), table, (t) => t.indexes.push(index));
}

/** The test schema with `table` stripped of its primary key (and its index). */
export function withoutPrimaryKey(table: string, major?: number): SchemaSnapshot {
  return edit(testSchema(major), table, (t) => {
    t.primaryKey = null;
    t.indexes = t.indexes.filter((i) => !i.primary);
  });
}

/** The test schema plus `events`, partitioned by range, with one partition `events_2024`. */
export function withPartitions(major?: number): SchemaSnapshot {
  const schema = testSchema(major);
  const base = schema.tables.find((t) => t.name === 'audit');
  if (!base) throw new Error('no audit table in the test schema');
  const parent: Table = {
    ...structuredClone(base),
    name: 'events',
    kind: 'partitioned table',
    partitionKey: 'RANGE (id)',
    primaryKey: null,
    indexes: [],
    stats: { indexBytes: 0, rowEstimate: 0, tableBytes: 0 },
  };
  const partition: Table = {
    ...structuredClone(base),
    name: 'events_2024',
    partitionOf: 'public.events',
    partitionBound: 'FOR VALUES FROM (0) TO (1000000)',
    primaryKey: null,
    indexes: [],
    stats: { indexBytes: 0, rowEstimate: 2_000_000, tableBytes: 240_000_000 },
  };
  schema.tables.push(parent, partition);
  return schema;
}
