/** Rows of information_schema.PARTITIONS → the table's partition key and partitions. */
import type { Partition } from '../../core/snapshot.js';
import type { PartitionRow } from './catalog-queries.js';

export interface Partitioning {
  /** `RANGE (year(created))`, `LIST COLUMNS (region)`, with `SUBPARTITION BY HASH (id)` when there is one. */
  key: string;
  partitions: Partition[];
}

export function partitionsOf(rows: readonly PartitionRow[], withStats: boolean): Partitioning | null {
  const first = rows[0];
  if (!first) return null;
  const by = (method: string, expression: string | null) =>
    `${method} (${(expression ?? '').replace(/^\((.*)\)$/, '$1')})`;
  let key = by(first.partition_method, first.partition_expression);
  if (first.subpartition_method)
    key += ` SUBPARTITION BY ${by(first.subpartition_method, first.subpartition_expression)}`;
  const partitions = new Map<string, Partition>();
  for (const row of rows) {
    let p = partitions.get(row.partition_name);
    if (!p) {
      p = {
        name: row.partition_name,
        bound: boundOf(row),
        subpartitions: [],
        rowEstimate: withStats ? 0 : null,
        tableBytes: 0,
        indexBytes: 0,
      };
      partitions.set(row.partition_name, p);
    }
    if (row.subpartition_name) p.subpartitions.push(row.subpartition_name);
    if (withStats) {
      p.rowEstimate = (p.rowEstimate ?? 0) + Number(row.table_rows ?? 0);
      p.tableBytes += Number(row.data_length ?? 0);
      p.indexBytes += Number(row.index_length ?? 0);
    }
  }
  return { key, partitions: [...partitions.values()] };
}

function boundOf(row: PartitionRow): string | null {
  const d = row.partition_description;
  if (d === null) return null;
  if (row.partition_method.startsWith('RANGE'))
    return d === 'MAXVALUE' ? 'VALUES LESS THAN MAXVALUE' : `VALUES LESS THAN (${d})`;
  if (row.partition_method.startsWith('LIST')) return `VALUES IN (${d})`;
  return null;
}
