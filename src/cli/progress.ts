import type { DeployEvent } from '../deploy/deploy.js';

/**
 * Deploy progress on stderr: one line per step, a live bar for backfills on a terminal
 * (rows, rows/s, ETA), or JSON lines (`--format json`) for tools.
 */
export class ProgressPrinter {
  private barShown = false;
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly json: boolean,
  ) {}

  event(e: DeployEvent): void {
    if (this.json) {
      this.out.write(JSON.stringify({ ...e, at: new Date().toISOString() }) + '\n');
      return;
    }
    if (e.type === 'backfill-progress') {
      const line = backfillLine(e);
      if (this.out.isTTY) {
        this.out.write(`\r\u001b[2K${line}`);
        this.barShown = true;
      } else if (e.rows % 100_000 < 10_000 || e.etaMs === 0) this.out.write(`  ${line}\n`);
      return;
    }
    this.clearBar();
    const text = describe(e);
    if (text) this.out.write(text + '\n');
  }

  end(): void {
    this.clearBar();
  }

  private clearBar(): void {
    if (!this.barShown) return;
    this.out.write('\n');
    this.barShown = false;
  }
}

function describe(e: DeployEvent): string | null {
  switch (e.type) {
    case 'deploy-start':
      return `· deploy ${e.deployId}${e.resumed ? ' resumed' : ''}: ${e.steps} step(s)`;
    case 'step-start':
      return e.attempt === 1 ? `· ${e.step}` : null;
    case 'step-retry':
      return `  ${e.step}: ${e.cause}${e.sqlstate ? ` (${e.sqlstate})` : ''}; attempt ${e.attempt} in ${(e.waitMs / 1000).toFixed(1)} s`;
    case 'step-done':
      return `  ${e.step} done in ${e.durationMs} ms`;
    case 'step-skip':
      return `· ${e.step}: ${e.reason}`;
    case 'rollback-step':
      return `· rolling back ${e.step}`;
    case 'backup':
      return `· backup ${e.reused ? 'taken by the first run' : 'taken'}: ${e.path}`;
    case 'deploy-end':
      return `· deploy ${e.status}`;
    default:
      return null;
  }
}

function backfillLine(e: Extract<DeployEvent, { type: 'backfill-progress' }>): string {
  const total = e.estimatedTotal && e.estimatedTotal > 0 ? e.estimatedTotal : null;
  const width = 24;
  const done = total ? Math.min(width, Math.round((e.rows / total) * width)) : 0;
  const bar = total ? `[${'█'.repeat(done)}${'░'.repeat(width - done)}] ` : '';
  const eta = e.etaMs === null ? '' : ` · ETA ${(e.etaMs / 1000).toFixed(1)} s`;
  return `${e.step} ${bar}${e.rows.toLocaleString('en')}${total ? `/~${total.toLocaleString('en')}` : ''} rows · ${e.rowsPerSecond.toLocaleString('en')} rows/s${eta}`;
}
