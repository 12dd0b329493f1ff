import type { ChangeFacts } from '../core/analysis.js';
import {
  blockedTraffic,
  POSTGRES_LOCKS,
  strongerLock,
  type LockMode,
  type LockModel,
} from '../core/locks.js';
import type { Table } from '../core/snapshot.js';
import { DEFAULT_THROUGHPUT, type Throughput } from './throughput.js';

/** Size used when the table is unknown (no schema): a table of `largeTableRows` rows of 100 bytes. */
export function assumedSize(largeTableRows: number): { tableBytes: number; indexBytes: number } {
  return { tableBytes: largeTableRows * 100, indexBytes: largeTableRows * 40 };
}

/** How long executing one Change takes, in ms, from its facts and the table's size. */
export function estimateChangeMs(
  facts: ChangeFacts,
  size: { tableBytes: number; indexBytes: number },
  indexCount: number,
  throughput: Throughput = DEFAULT_THROUGHPUT,
): number {
  // TRUNCATE (emptiesTable) is none of the work below: new empty files, whatever the size.
  let ms = throughput.catalogOnlyMs;
  const perSec = (bytes: number, rate: number) => (bytes / rate) * 1000;
  if (facts.rewritesTable) {
    ms += perSec(size.tableBytes, throughput.rewriteBytesPerSec);
    if (facts.rebuildsIndexes) ms += indexCount * perSec(size.tableBytes, throughput.indexBuildBytesPerSec);
  } else if (facts.rebuildsIndexes) {
    ms += indexCount * perSec(size.tableBytes, throughput.indexBuildBytesPerSec);
  }
  if (facts.scansTable) ms += perSec(size.tableBytes, throughput.scanBytesPerSec);
  if (facts.buildsIndex) ms += perSec(size.tableBytes, throughput.indexBuildBytesPerSec);
  return Math.round(ms);
}

/** The strongest lock a Change takes that stops application traffic, if any. */
export function blockingLock(
  facts: Pick<ChangeFacts, 'locks'>,
  model: LockModel = POSTGRES_LOCKS,
): LockMode | null {
  let strongest: LockMode | null = null;
  for (const l of facts.locks) {
    const { reads, writes } = blockedTraffic(l.mode, model);
    if (!reads && !writes) continue;
    strongest = strongest ? strongerLock(strongest, l.mode, model) : l.mode;
  }
  return strongest;
}

export function tableSize(
  table: Table | undefined,
  largeTableRows: number,
): { tableBytes: number; indexBytes: number; known: boolean } {
  if (!table) {
    // Written out: a spread followed by a new key takes V8's slow path (~0.4 µs, per Change).
    const assumed = assumedSize(largeTableRows);
    return { tableBytes: assumed.tableBytes, indexBytes: assumed.indexBytes, known: false };
  }
  return { tableBytes: table.stats.tableBytes, indexBytes: table.stats.indexBytes, known: true };
}
