/** Rows of information_schema.PARTITIONS → the table's partition key and partitions. */
import type { Partition, PartitionStats } from '../../core/snapshot.js';
import type { PartitionRow } from './catalog-queries.js';

export interface Partitioning {
  /** `RANGE (year(created))`, `LIST COLUMNS (region)`, with `SUBPARTITION BY HASH (id)` when there is one. */
  key: string;
  partitions: Partition[];
  /** Per partition; empty when stats are not read. */
  stats: PartitionStats[];
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
  const stats = new Map<string, PartitionStats>();
  for (const row of rows) {
    const name = row.partition_name;
    let p = partitions.get(name);
    if (!p) {
      p = { name, bound: boundOf(row), subpartitions: [] };
      partitions.set(name, p);
      stats.set(name, { name, rowEstimate: 0, tableBytes: 0, indexBytes: 0 });
    }
    if (row.subpartition_name) p.subpartitions.push(row.subpartition_name);
    const s = stats.get(name);
    if (s) {
      s.rowEstimate = (s.rowEstimate ?? 0) + Number(row.table_rows ?? 0);
      s.tableBytes += Number(row.data_length ?? 0);
      s.indexBytes += Number(row.index_length ?? 0);
    }
  }
  return { key, partitions: [...partitions.values()], stats: withStats ? [...stats.values()] : [] };
}

function boundOf(row: PartitionRow): string | null {
  const d = row.partition_description;
  if (d === null) return null;
  if (row.partition_method.startsWith('RANGE'))
    return d === 'MAXVALUE' ? 'VALUES LESS THAN MAXVALUE' : `VALUES LESS THAN (${d})`;
  if (row.partition_method.startsWith('LIST')) return `VALUES IN (${d})`;
  return null;
}
