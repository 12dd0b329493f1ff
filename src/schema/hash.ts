import { createHash } from 'node:crypto';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { canonicalJson } from './canonical-json.js';

/**
 * Content hash of a snapshot's structure. Deploy compares it with the hash a plan was made
 * from and refuses on drift, so it must ignore what changes without the schema changing:
 * statistics (row estimates, sizes), the server's version, and the database's name (a scratch
 * clone of the same schema hashes the same).
 */
export function schemaHash(snapshot: Omit<SchemaSnapshot, 'hash'> & { hash?: string }): string {
  const structural = JSON.parse(canonicalJson(snapshot, undefined), (key, value: unknown) =>
    key === 'stats' ||
    key === 'bytes' ||
    key === 'hash' ||
    key === 'serverVersion' ||
    key === 'serverVersionNum' ||
    key === 'database'
      ? undefined
      : value,
  ) as unknown;
  return createHash('sha256').update(canonicalJson(structural)).digest('hex');
}
