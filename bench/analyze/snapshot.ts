/**
 * A seeded PostgreSQL schema snapshot of N tables, in the JSON `schemapilot inspect --format
 * json` writes (canonical key order, 2-space indent, a real structural hash), for timing
 * `analyze --schema` against a big schema. Every table looks like one an application keeps:
 * 10 columns, an identity primary key, 2 secondary indexes, 1 foreign key to another table,
 * and sizes spread from empty to tens of millions of rows (log-uniform, as in real schemas
 * where a few tables hold most of the data).
 */
import type { Column, Index, SchemaSnapshot, Sequence, Table } from '../../src/core/snapshot.js';
import { canonicalJson } from '../../src/schema/canonical-json.js';
import { schemaHash } from '../../src/schema/hash.js';
import { seededRandom, type TablePool } from './generate.js';

const ENTITIES = ['users', 'orders', 'invoices', 'payments', 'events', 'products', 'shipments', 'notes'];
const PAGE = 8192;

/** [name, type, nullable, default] of the 10 columns every table has, `id` first. */
const COLUMNS: [string, string, boolean, string | null][] = [
  ['id', 'bigint', false, null],
  ['created_at', 'timestamp with time zone', false, 'now()'],
  ['updated_at', 'timestamp with time zone', true, null],
  ['status', 'text', false, "'new'::text"],
  ['owner_id', 'bigint', true, null],
  ['amount', 'numeric(12,2)', true, null],
  ['note', 'character varying(200)', true, null],
  ['email', 'character varying(255)', true, null],
  ['payload', 'jsonb', true, null],
  ['flags', 'integer', false, '0'],
];

/** `t0042_orders`: unlike the generator's own names (`tbl_7`, `orders_12`), so a migration never collides with one. */
export function snapshotTableName(i: number): string {
  return `t${String(i).padStart(4, '0')}_${ENTITIES[i % ENTITIES.length] ?? 'items'}`;
}

function column([name, type, nullable, dflt]: (typeof COLUMNS)[number]): Column {
  return {
    name,
    type,
    nullable,
    default: dflt,
    identity: name === 'id' ? 'by default' : null,
    generated: null,
    collation: null,
    comment: null,
  };
}

const pages = (bytes: number, min: number) => Math.max(min, Math.ceil(bytes / PAGE) * PAGE);

function index(table: string, name: string, columns: string[], rows: number, primary: boolean): Index {
  const unique = primary ? 'UNIQUE ' : '';
  return {
    name,
    columns,
    include: [],
    unique: primary,
    primary,
    valid: true,
    method: 'btree',
    predicate: null,
    constraint: primary ? name : null,
    definition: `CREATE ${unique}INDEX ${name} ON public.${table} USING btree (${columns.join(', ')})`,
    // About 24 bytes per btree entry on an 8-byte key, at least the metapage and a leaf.
    bytes: pages(rows * 24, 2 * PAGE),
  };
}

function table(i: number, count: number, random: () => number): Table {
  const name = snapshotTableName(i);
  // Log-uniform from 0 to ~50 million rows; 100-250 bytes a row on disk.
  const rows = Math.floor(10 ** (random() * 7.7)) - 1;
  const rowBytes = 100 + Math.floor(random() * 150);
  const parent = snapshotTableName(1 + Math.floor(random() * count));
  const indexes = [
    index(name, `${name}_created_at_idx`, ['created_at'], rows, false),
    index(name, `${name}_owner_id_idx`, ['owner_id'], rows, false),
    index(name, `${name}_pkey`, ['id'], rows, true),
  ];
  return {
    schema: 'public',
    name,
    kind: 'table',
    comment: null,
    columns: COLUMNS.map(column),
    primaryKey: { name: `${name}_pkey`, columns: ['id'] },
    uniqueConstraints: [],
    checkConstraints: [],
    foreignKeys: [
      {
        name: `${name}_owner_id_fkey`,
        columns: ['owner_id'],
        referencedSchema: 'public',
        referencedTable: parent,
        referencedColumns: ['id'],
        onUpdate: 'NO ACTION',
        onDelete: 'NO ACTION',
        match: 'SIMPLE',
        deferrable: false,
        validated: true,
      },
    ],
    exclusionConstraints: [],
    indexes,
    triggers: [],
    partitionOf: null,
    partitionBound: null,
    partitionKey: null,
    stats: {
      rowEstimate: rows,
      tableBytes: pages(rows * rowBytes, 0),
      indexBytes: indexes.reduce((sum, x) => sum + x.bytes, 0),
    },
  };
}

function sequence(table: string): Sequence {
  return {
    schema: 'public',
    name: `${table}_id_seq`,
    dataType: 'bigint',
    start: '1',
    increment: '1',
    min: '1',
    max: '9223372036854775807',
    cycle: false,
    ownedBy: `public.${table}.id`,
  };
}

/** A snapshot of `count` tables (seeded: the same count and seed give the same bytes). */
export function generateSnapshot(count: number, seed = 20261207): SchemaSnapshot {
  const random = seededRandom(seed);
  const tables: Table[] = [];
  for (let i = 1; i <= count; i++) tables.push(table(i, count, random));
  const withoutHash: Omit<SchemaSnapshot, 'hash'> = {
    formatVersion: 1,
    dialect: 'postgres',
    serverVersion: '16.4',
    serverVersionNum: 160004,
    database: 'bench',
    timeZone: 'UTC',
    schemas: ['public'],
    // Names are zero-padded, so creation order is name order, as inspect sorts them.
    tables,
    views: [],
    sequences: tables.map((t) => sequence(t.name)),
    enums: [],
    extensions: [{ name: 'plpgsql', version: '1.0', schema: 'pg_catalog' }],
    functions: [],
  };
  return { ...withoutHash, hash: schemaHash(withoutHash) };
}

/** The snapshot as `inspect --format json` would write it. */
export function snapshotJson(snapshot: SchemaSnapshot): string {
  return `${canonicalJson(snapshot, 2)}\n`;
}

/** The snapshot's tables as the migration generator's pool, so its statements name them. */
export function tablePool(snapshot: SchemaSnapshot): TablePool {
  return snapshot.tables.map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => c.name),
    indexes: t.indexes.map((x) => x.name),
    constraints: t.foreignKeys.map((fk) => fk.name),
  }));
}
