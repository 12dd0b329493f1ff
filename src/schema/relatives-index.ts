/**
 * Which tables may point at a table (foreign keys) or hang under it (partitions), kept as the
 * schema state changes, so that a lookup reads those few tables instead of every table of the
 * schema: with a scan, each DROP COLUMN, type change, TRUNCATE or DROP TABLE cost a pass over a
 * 5,000-table snapshot, and a migration that creates tables grew quadratic (bench/RESULTS.md,
 * "analyze"). Both maps are supersets: renamed or dropped keys stay listed, and SchemaState
 * checks each candidate's current keys.
 */
import type { ForeignKey } from '../core/snapshot.js';

export class RelativesIndex {
  /** Referenced schema + NUL + table → keys of the tables that have (or once had) a foreign key to it. */
  private readonly referencedBy = new Map<string, Set<string>>();
  /** Parent → keys of the tables that are (or once were) its partitions. */
  private readonly partitionKeys = new Map<string, Set<string>>();

  noteForeignKeys(key: string, foreignKeys: readonly ForeignKey[]): void {
    for (const fk of foreignKeys)
      add(this.referencedBy, `${fk.referencedSchema}\0${fk.referencedTable}`, key);
  }

  notePartition(key: string, parent: string | null): void {
    if (parent) add(this.partitionKeys, parent, key);
  }

  /** Keys of the tables that may have a foreign key to schema.name. */
  mayReference(schema: string, name: string): ReadonlySet<string> | undefined {
    return this.referencedBy.get(`${schema}\0${name}`);
  }

  /** Keys of the tables that may be partitions of `parent`. */
  mayBePartitionsOf(parent: string): ReadonlySet<string> | undefined {
    return this.partitionKeys.get(parent);
  }
}

function add(map: Map<string, Set<string>>, at: string, key: string): void {
  const keys = map.get(at);
  if (keys) keys.add(key);
  else map.set(at, new Set([key]));
}
