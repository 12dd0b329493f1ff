/**
 * The watchdog: a second session that watches our deploy backend while a statement runs. It
 * records who blocks us (for the incident report when the lock wait times out) and cancels our
 * statement when application sessions have waited behind it longer than `maxBlockingMs`: a
 * DDL statement waiting for its lock queues every later query on the table behind it, so
 * waiting politely still takes the application down. The deploy then retries later. What it
 * asks the server is the dialect's (`driver.deploy.probes`).
 */
import type { SessionProbes, Session } from '../core/dialect/index.js';
import type { SessionInfo } from '../core/deploy.js';

export interface WatchdogOptions {
  /** Cancel our statement once a session has waited on it this long (ms); 0 disables. */
  maxBlockingMs: number;
  intervalMs?: number;
}

export class Watchdog {
  /** Sessions that blocked us at the last sample where any did. */
  blockers: SessionInfo[] = [];
  /** Sessions waiting on us when we cancelled (or at the last sample where any waited). */
  blocked: SessionInfo[] = [];
  /** Whether the current watch cancelled our statement. */
  cancelled = false;
  /** Samples in the current watch in which some session waited on us (backfill throttling). */
  waitSamples = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pid = 0;

  constructor(
    private readonly probes: SessionProbes,
    private readonly session: Session,
    private readonly options: WatchdogOptions,
  ) {}

  /** Start watching `pid` (our deploy backend) until stop(). */
  start(pid: number): void {
    this.stop();
    this.pid = pid;
    this.cancelled = false;
    this.waitSamples = 0;
    this.blockers = [];
    this.blocked = [];
    const tick = () => {
      this.running = this.sample().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs ?? 100);
      });
    };
    this.timer = setTimeout(tick, this.options.intervalMs ?? 100);
  }

  /** Stop watching; waits for a sample in flight so the session is free afterwards. */
  async stopAndSettle(): Promise<void> {
    this.stop();
    await this.running?.catch(() => undefined);
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async sample(): Promise<void> {
    let seen: Awaited<ReturnType<SessionProbes['sample']>>;
    try {
      seen = await this.probes.sample(this.session, this.pid);
    } catch {
      return; // a lost watchdog connection must not fail the deploy; the step's timeouts still hold
    }
    if (seen.blockers.length > 0) this.blockers = seen.blockers;
    const waiting = seen.waiting;
    if (waiting.length === 0) return;
    this.waitSamples++;
    this.blocked = waiting.map((w) => w.session);
    const longest = Math.max(...waiting.map((w) => w.waitedMs));
    if (
      this.options.maxBlockingMs > 0 &&
      longest > this.options.maxBlockingMs &&
      !this.cancelled &&
      this.timer
    ) {
      this.cancelled = true;
      await this.probes.cancel(this.session, this.pid);
    }
  }
}
