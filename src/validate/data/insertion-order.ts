/**
 * The order rows go into a schema's tables: parents before children, cycles of foreign keys
 * broken where a column may be NULL. Dialect-neutral (it reads the snapshot only); synthesis and
 * sample copies of every dialect follow it.
 */
import type { ForeignKey, SchemaSnapshot, Table } from '../../core/snapshot.js';
import { qualifiedName } from '../../core/snapshot.js';

export const tableKey = (t: { schema: string; name: string }) => qualifiedName(t.schema, t.name);

export interface DeferredForeignKey {
  table: Table;
  fk: ForeignKey;
}

export interface InsertionOrder {
  /** Tables that take rows (partitions excluded: rows go through their parent), parents first. */
  steps: { table: Table; skipped?: string }[];
  /** Foreign keys inserted as NULL and filled at the end, to break a cycle. */
  deferred: DeferredForeignKey[];
}

/**
 * Parents before children (topological over foreign keys, self-references ignored). A cycle is
 * broken at a foreign key whose columns are all nullable; failing that, one table of the cycle
 * is skipped (its children then see no parent rows).
 */
export function insertionOrder(snapshot: SchemaSnapshot): InsertionOrder {
  const root = (schema: string, name: string): string => {
    let t = findTable(snapshot, schema, name);
    for (let depth = 0; t?.partitionOf && depth < 16; depth++) {
      const dot = t.partitionOf.indexOf('.');
      t = findTable(snapshot, t.partitionOf.slice(0, dot), t.partitionOf.slice(dot + 1));
    }
    return t ? tableKey(t) : qualifiedName(schema, name);
  };
  const remaining = new Map(
    snapshot.tables.filter((t) => t.partitionOf === null).map((t) => [tableKey(t), t]),
  );
  const deferred: DeferredForeignKey[] = [];
  const steps: InsertionOrder['steps'] = [];
  const blocking = (t: Table) =>
    t.foreignKeys.filter((fk) => {
      const parent = root(fk.referencedSchema, fk.referencedTable);
      return (
        parent !== tableKey(t) && remaining.has(parent) && !deferred.some((d) => d.fk === fk && d.table === t)
      );
    });
  while (remaining.size > 0) {
    const ready = [...remaining.values()].find((t) => blocking(t).length === 0);
    if (ready) {
      steps.push({ table: ready });
      remaining.delete(tableKey(ready));
      continue;
    }
    let broke = false;
    for (const t of remaining.values()) {
      const fk = blocking(t).find((f) =>
        f.columns.every((c) => t.columns.find((x) => x.name === c)?.nullable ?? false),
      );
      if (fk) {
        deferred.push({ table: t, fk });
        broke = true;
        break;
      }
    }
    if (broke) continue;
    const [key, stuck] = [...remaining.entries()][0] ?? [];
    if (key === undefined || stuck === undefined) break;
    steps.push({ table: stuck, skipped: 'foreign key cycle through NOT NULL columns' });
    remaining.delete(key);
  }
  return { steps, deferred };
}

export function isSelfReference(table: Table, fk: ForeignKey): boolean {
  return fk.referencedSchema === table.schema && fk.referencedTable === table.name;
}

export function findTable(snapshot: SchemaSnapshot, schema: string, name: string): Table | undefined {
  return snapshot.tables.find((t) => t.schema === schema && t.name === name);
}
