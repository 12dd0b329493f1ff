/**
 * A MySQL trace (trace/trace.ts) in validate's terms (core/dialect/validation.ts StatementTrace):
 * the metadata lock each table was held in while the statement worked, the tables it rebuilt,
 * and the algorithm and blocked traffic as ObservedOnlineDdl.
 *
 * Which metadata lock "the statement took": every ALTER opens the table SHARED_UPGRADABLE,
 * takes EXCLUSIVE for a moment to start and to finish, and works under its own mode between
 * (SHARED_UPGRADABLE when online, SHARED_NO_WRITE for a copy, EXCLUSIVE for LOCK=EXCLUSIVE).
 * The facts state that working mode (src/core/analysis.ts OnlineDdl), so the trace reports the
 * mode seen in the most samples, the stronger on a tie: the brief EXCLUSIVE of a long ALTER is
 * seen in a sample or two, its working mode in all the others. A statement shorter than the
 * blocking threshold is mostly its start and its end: there the EXCLUSIVE says nothing about
 * the working mode, so the strongest other mode seen is reported, and none when EXCLUSIVE was
 * all the samples saw (on the scratch copy's few rows every ALTER is that short).
 * https://mariadb.com/kb/en/metadata-locking/
 */
import type { LockMode, MetadataLockMode } from '../../../core/locks.js';
import { lockStrength, METADATA_LOCK_MODES, METADATA_LOCKS } from '../../../core/locks.js';
import type {
  ObservedOnlineDdl,
  RelationKind,
  StatementTrace,
  TracedLock,
} from '../../../core/dialect/validation.js';
import type { MysqlStatementTrace } from '../trace/trace.js';

/** METADATA_LOCK_INFO's modes (MDL_ stripped) as the lock model's; null: not a table lock of ours. */
export function metadataLockMode(raw: string): MetadataLockMode | null {
  if ((METADATA_LOCK_MODES as readonly string[]).includes(raw)) return raw as MetadataLockMode;
  // MDL_SHARED and MDL_SHARED_HIGH_PRIO only read a table's definition (information_schema,
  // SHOW): weaker than any DML's lock, so the model's weakest.
  if (raw === 'SHARED' || raw === 'SHARED_HIGH_PRIO') return 'SHARED_READ';
  // LOCK TABLES … READ: stops writers, as SHARED_NO_WRITE does.
  if (raw === 'SHARED_READ_ONLY') return 'SHARED_NO_WRITE';
  return null;
}

export interface MapContext {
  /** `scratch.t` → `target.t`: the names validate compares with the prediction. */
  rename: (qualified: string) => string;
  /** Relations (scratch names) that existed before the statement, with their kind. */
  before: ReadonlyMap<string, RelationKind>;
  /** The statement emptied its table (TRUNCATE): a new table id is not a rewrite then. */
  truncates: boolean;
  /** Below this duration (ms) a probe cannot have waited long enough to count as blocked. */
  blockedMinMs: number;
}

export function toStatementTrace(trace: MysqlStatementTrace, context: MapContext): StatementTrace {
  const byTable = new Map<string, { mode: MetadataLockMode; samples: number }[]>();
  (trace.locks ?? []).forEach((lock, i) => {
    const mode = metadataLockMode(lock.mode);
    if (mode === null) return;
    const list = byTable.get(lock.table) ?? [];
    const samples = trace.lockSamples?.[i] ?? 1;
    const same = list.find((l) => l.mode === mode);
    if (same) same.samples += samples;
    else list.push({ mode, samples });
    byTable.set(lock.table, list);
  });
  const locks: TracedLock[] = [];
  const short = trace.durationMs < context.blockedMinMs;
  for (const [table, seen] of byTable) {
    const modes = short ? seen.filter((m) => m.mode !== 'EXCLUSIVE') : seen;
    if (modes.length === 0) continue;
    const working = modes.reduce((best, m) =>
      m.samples > best.samples ||
      (m.samples === best.samples &&
        lockStrength(m.mode, METADATA_LOCKS) > lockStrength(best.mode, METADATA_LOCKS))
        ? m
        : best,
    );
    const kind = context.before.get(table);
    locks.push({
      relation: context.rename(table),
      kind: kind ?? 'table',
      mode: working.mode as LockMode,
      granted: true,
      existedBefore: kind !== undefined,
    });
  }
  const table = context.rename(trace.table);
  const rebuilt = trace.rebuilt === true && context.before.has(trace.table);
  return {
    sql: trace.sql,
    inTransaction: false,
    locks,
    rewrittenTables: rebuilt && !context.truncates ? [table] : [],
    emptiedTables: rebuilt && context.truncates ? [table] : [],
    rebuiltIndexes: [],
    createdIndexes: [],
    scans: null,
    waits: 0,
    online: observedOnline(trace, context.blockedMinMs),
  };
}

function observedOnline(trace: MysqlStatementTrace, blockedMinMs: number): ObservedOnlineDdl {
  // A statement shorter than the threshold cannot show a blocked writer: unknown, not "no".
  const long = trace.durationMs >= blockedMinMs;
  return {
    algorithm: trace.algorithm,
    rebuilt: trace.rebuilt,
    blocksWrites: long && trace.writers.error === undefined ? trace.writers.blocked : null,
    blocksReads: long && trace.readers && trace.readers.error === undefined ? trace.readers.blocked : null,
    writerWaitMs: trace.writers.longestWaitMs,
    evidence: trace.algorithmEvidence,
  };
}
