/**
 * A plan's backfill run by the deploy itself, batch by batch, instead of the plan's DO block:
 * each batch is its own short transaction with a lock_timeout, progress (rows, keyset position)
 * is written to the journal in the batch's transaction, so a rerun resumes after the last
 * committed batch, and the pause grows while other sessions wait on our row locks or replicas
 * lag behind. The batch's SQL is the dialect's (`driver.deploy.backfill`); the pacing is here.
 */
import type { BackfillDriver, Session } from '../core/dialect/index.js';
import type { BackfillSpec } from '../core/plan.js';
import type { BackfillProgress } from '../core/deploy.js';

export interface BackfillOptions {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** Pause longer while replicas lag more than this (ms); 0 disables the check. */
  maxReplicaLagMs: number;
  /** True when sessions waited on the last batch (from the watchdog). */
  othersWaited: () => boolean;
  /** Called inside each batch's transaction, after the batch: write the progress there. */
  record: (progress: BackfillProgress) => Promise<void>;
  /** Called once a batch has committed: the progress a retry may resume from. */
  committed?: (progress: BackfillProgress) => void;
  onProgress?: (progress: BackfillProgress & { estimatedTotal: number | null }) => void | Promise<void>;
}

const MAX_PAUSE_MS = 5_000;
/** A batch should commit within this; application writes to its rows wait that long. */
const TARGET_BATCH_MS = 40;
const START_BATCH_ROWS = 500;
const MIN_BATCH_ROWS = 50;

export async function runBackfill(
  driver: BackfillDriver,
  session: Session,
  spec: BackfillSpec,
  resumeFrom: BackfillProgress | undefined,
  options: BackfillOptions,
): Promise<BackfillProgress> {
  let progress: BackfillProgress = resumeFrom
    ? { ...resumeFrom }
    : { rows: 0, batches: 0, lastKey: null, rowsPerSecond: 0, throttled: 0 };
  const estimatedTotal = await driver.estimateRows(session, spec.table);
  const started = Date.now();
  const rowsAtStart = progress.rows;
  let pause = spec.pauseMs;
  // Rows an application UPDATE touches wait until our batch commits: batches are sized by
  // time, not rows. Start small, grow while batches are fast and nobody waits, shrink when a
  // batch runs long or someone waited on it (bench/RESULTS.md, "deploy").
  let size = Math.min(spec.batchSize, START_BATCH_ROWS);
  for (;;) {
    const batchStarted = Date.now();
    let next: BackfillProgress = progress;
    const limits = {
      lastKey: progress.lastKey,
      limit: size,
      lockTimeoutMs: options.lockTimeoutMs,
      statementTimeoutMs: options.statementTimeoutMs,
    };
    await driver.batch(session, spec, limits, async (batch) => {
      const seconds = (Date.now() - started) / 1000;
      const rows = progress.rows + batch.rows;
      next = {
        ...progress,
        rows,
        batches: progress.batches + 1,
        lastKey: batch.lastKey,
        rowsPerSecond: seconds > 0 ? Math.round((rows - rowsAtStart) / seconds) : 0,
      };
      await options.record(next);
    });
    // Only now is the batch real: a rolled-back batch must be redone by the retry.
    if (next === progress) return progress;
    progress = next;
    options.committed?.(progress);
    await options.onProgress?.({ ...progress, estimatedTotal });
    const took = Date.now() - batchStarted;
    const waited = options.othersWaited();
    if (waited || took > TARGET_BATCH_MS) size = Math.max(MIN_BATCH_ROWS, Math.floor(size / 2));
    else if (took < TARGET_BATCH_MS / 2) size = Math.min(spec.batchSize, size * 2);
    // Back off while the application waits on our row locks or replicas fall behind; recover
    // gently once they do not.
    if (waited || (await driver.replicaLagMs(session)) > options.maxReplicaLagMs) {
      progress.throttled++;
      pause = Math.min(MAX_PAUSE_MS, Math.max(pause * 2, 50));
    } else {
      pause = Math.max(spec.pauseMs, Math.floor(pause / 2));
    }
    if (pause > 0) await new Promise((r) => setTimeout(r, pause));
  }
}
