/**
 * An in-memory schema for rule tests (no database needed: rules are pure, and the facts they
 * read are verified against servers in test/facts). Sizes are chosen around the default
 * largeTableRows (100,000): `users` and `orders` are large, `settings` small, `audit` empty.
 */
import type { Column, SchemaSnapshot, Table } from '../../src/core/snapshot.js';
import { schemaHash } from '../../src/schema/hash.js';

function column(name: string, type: string, extra: Partial<Column> = {}): Column {
  return {
    collation: null,
    comment: null,
    default: null,
    generated: null,
    identity: null,
    name,
    nullable: true,
    type,
    ...extra,
  };
}

function table(name: string, rows: number, columns: Column[], extra: Partial<Table> = {}): Table {
  return {
    checkConstraints: [],
    columns,
    comment: null,
    exclusionConstraints: [],
    foreignKeys: [],
    indexes: [],
    kind: 'table',
    name,
    partitionBound: null,
    partitionKey: null,
    partitionOf: null,
    primaryKey: { columns: ['id'], name: `${name}_pkey` },
    schema: 'public',
    stats: { indexBytes: rows * 40, rowEstimate: rows, tableBytes: Math.max(8192, rows * 120) },
    triggers: [],
    uniqueConstraints: [],
    ...extra,
  };
}

const pkIndex = (t: string) => ({
  bytes: 0,
  columns: ['id'],
  constraint: `${t}_pkey`,
  definition: `CREATE UNIQUE INDEX ${t}_pkey ON public.${t} USING btree (id)`,
  include: [],
  method: 'btree',
  name: `${t}_pkey`,
  predicate: null,
  primary: true,
  unique: true,
  valid: true,
});

export function testSchema(major = 15): SchemaSnapshot {
  const users = table(
    'users',
    1_000_000,
    [
      column('id', 'bigint', { nullable: false, identity: 'by default' }),
      column('email', 'text', { nullable: false }),
      column('name', 'character varying(100)'),
      column('created_at', 'timestamp without time zone', { nullable: false, default: 'now()' }),
      column('score', 'integer'),
    ],
    { indexes: [pkIndex('users')] },
  );
  const orders = table(
    'orders',
    5_000_000,
    [
      column('id', 'bigint', { nullable: false }),
      column('user_id', 'bigint', { nullable: false }),
      column('status', 'order_status', { nullable: false, default: `'pending'::order_status` }),
      column('total', 'numeric(12,2)'),
      column('note', 'character varying(100)'),
    ],
    {
      indexes: [pkIndex('orders')],
      foreignKeys: [
        {
          columns: ['user_id'],
          deferrable: false,
          match: 'SIMPLE',
          name: 'orders_user_id_fkey',
          onDelete: 'NO ACTION',
          onUpdate: 'NO ACTION',
          referencedColumns: ['id'],
          referencedSchema: 'public',
          referencedTable: 'users',
          validated: true,
        },
      ],
    },
  );
  const settings = table(
    'settings',
    100,
    [column('id', 'integer', { nullable: false }), column('value', 'text')],
    { indexes: [pkIndex('settings')] },
  );
  const audit = table('audit', 0, [column('id', 'bigint', { nullable: false }), column('payload', 'jsonb')], {
    indexes: [pkIndex('audit')],
    stats: { indexBytes: 8192, rowEstimate: 0, tableBytes: 0 },
  });
  const withoutHash: Omit<SchemaSnapshot, 'hash'> = {
    database: 'app',
    dialect: 'postgres',
    enums: [{ name: 'order_status', schema: 'public', values: ['pending', 'paid', 'shipped'] }],
    extensions: [],
    functions: [],
    formatVersion: 1,
    schemas: ['public'],
    sequences: [],
    serverVersion: `${major}.0`,
    serverVersionNum: major * 10000,
    tables: [audit, orders, settings, users],
    views: [
      {
        columns: [column('id', 'bigint'), column('email', 'text')],
        comment: null,
        definition: 'SELECT id, email FROM users',
        dependsOn: [{ columns: ['email', 'id'], relation: 'public.users' }],
        indexes: [],
        materialized: false,
        name: 'user_emails',
        schema: 'public',
      },
    ],
  };
  return { ...withoutHash, hash: schemaHash(withoutHash) };
}
