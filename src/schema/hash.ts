import { createHash } from 'node:crypto';
import type { Index, SchemaSnapshot } from '../core/snapshot.js';
import { canonicalJson } from './canonical-json.js';

/**
 * Content hash of a snapshot's structure. Deploy compares it with the hash a plan was made
 * from and refuses on drift, so it must ignore what changes without the schema changing:
 * statistics (row estimates, sizes), the server's version, the database's name (a scratch
 * clone of the same schema hashes the same), and a SQLite file's settings and size.
 */
export function schemaHash(snapshot: Omit<SchemaSnapshot, 'hash'> & { hash?: string }): string {
  // Hashed table by table: one 12 MB string for a big schema would cost more in GC than hashing.
  const { tables, ...rest } = structuralView(snapshot);
  const hash = createHash('sha256').update(canonicalJson(rest));
  for (const table of tables) hash.update(canonicalJson(table));
  return hash.digest('hex');
}

/** The snapshot without what `schemaHash` ignores. Objects are copied only where a key goes. */
function structuralView(snapshot: Omit<SchemaSnapshot, 'hash'> & { hash?: string }): {
  tables: unknown[];
  [key: string]: unknown;
} {
  const {
    hash: _hash,
    serverVersion: _v,
    serverVersionNum: _n,
    database: _d,
    timeZone: _tz,
    sqliteFile: _file,
    ...rest
  } = snapshot;
  const withoutBytes = (indexes: readonly Index[]) => indexes.map(({ bytes: _bytes, ...index }) => index);
  return {
    ...rest,
    tables: rest.tables.map(({ stats: _stats, ...table }) => ({
      ...table,
      indexes: withoutBytes(table.indexes),
    })),
    views: rest.views.map((view) => ({ ...view, indexes: withoutBytes(view.indexes) })),
  };
}
