/**
 * A probe: another session running one short statement in a loop (an INSERT for writers, a
 * SELECT for readers) while the traced statement runs, each run timed. A statement that blocks
 * writers for its duration shows as one insert that waited about as long as the statement ran
 * (measured on MariaDB 10.11: 442 ms of a 443 ms COPY); one that blocks them only while it
 * upgrades its metadata lock at the start and the end shows short waits (<= 40 ms there).
 */
import type { MysqlSession } from '../session.js';

export interface ProbeRun {
  start: number;
  end: number;
}

export class Probe {
  private stopped = false;
  private readonly runs: ProbeRun[] = [];
  private failure: string | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    readonly session: MysqlSession,
    readonly sql: string,
  ) {}

  /** Starts the loop; resolves once one run has completed, so the probe is known to work. */
  async start(): Promise<void> {
    let first!: () => void;
    const started = new Promise<void>((resolve) => (first = resolve));
    this.loop = (async () => {
      while (!this.stopped) {
        const start = performance.now();
        try {
          await this.session.rows(this.sql);
        } catch (error) {
          // A probe that fails (the statement dropped the column it writes) stops measuring.
          this.failure = (error as Error).message;
          break;
        } finally {
          this.runs.push({ start, end: performance.now() });
          first();
        }
      }
      first();
    })();
    await started;
  }

  /** Stops after the run in flight, which is the one that may be waiting behind the statement. */
  async stop(): Promise<{ runs: ProbeRun[]; error: string | null }> {
    this.stopped = true;
    await this.loop;
    return { runs: this.runs, error: this.failure };
  }
}

export interface ProbeResult {
  /** The probe's statement. */
  sql: string;
  /** Runs that started or ended while the traced statement ran. */
  runs: number;
  /** The longest of those runs, in ms: how long the probe waited behind the statement. */
  longestWaitMs: number;
  /**
   * When that longest run began, in ms from the statement's start (negative: before it). A
   * copy holds writers from its first moments; an online change only at its end, when it
   * takes EXCLUSIVE to finish.
   */
  longestStartMs: number;
  /** longestWaitMs passed both thresholds (see `blockedBy`). */
  blocked: boolean;
  /** The probe failed: its message (runs after it were not measured). */
  error?: string;
}

/**
 * Blocked = the longest run overlapping the statement took at least `minMs` and at least
 * `share` of the statement's duration. The share keeps the brief metadata-lock upgrades of an
 * INPLACE or INSTANT ALTER (which every DML waits for) from counting as blocking on a busy
 * machine; `minMs` keeps a statement of a few ms from counting as blocking at all.
 */
export function blockedBy(
  sql: string,
  probe: { runs: ProbeRun[]; error: string | null },
  window: ProbeRun,
  thresholds: { minMs: number; share: number },
): ProbeResult {
  const during = probe.runs.filter((r) => r.end >= window.start && r.start <= window.end);
  const longestRun = during.reduce<ProbeRun | null>(
    (best, r) => (best === null || r.end - r.start > best.end - best.start ? r : best),
    null,
  );
  const longest = longestRun ? longestRun.end - longestRun.start : 0;
  const duration = window.end - window.start;
  return {
    sql,
    runs: during.length,
    longestWaitMs: Math.round(longest),
    longestStartMs: longestRun ? Math.round(longestRun.start - window.start) : 0,
    blocked: longest >= thresholds.minMs && longest >= thresholds.share * duration,
    ...(probe.error !== null ? { error: probe.error } : {}),
  };
}
