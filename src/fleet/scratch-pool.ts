/**
 * One scratch server per dialect for a whole fleet run, opened when the first service of that
 * dialect needs it and shared by every check after it (each check creates and drops its own
 * databases there), closed once at the end and on Ctrl-C.
 */
import type { Dialect } from '../core/dialect/index.js';
import type { ScratchServer } from '../core/dialect/scratch.js';
import { InputError } from '../core/errors.js';
import { closeOnSignals } from '../validate/scratch.js';

export class ScratchPool {
  private readonly opening = new Map<string, Promise<ScratchServer>>();
  private readonly releases: (() => void)[] = [];

  constructor(
    private readonly devUrls: ReadonlyMap<string, string>,
    private readonly onWarning?: (message: string) => void,
  ) {}

  get(dialect: Dialect): Promise<ScratchServer> {
    let server = this.opening.get(dialect.name);
    if (!server) {
      const provider = dialect.scratch;
      if (!provider)
        throw new InputError(`${dialect.title} has no scratch server: its services cannot be validated`);
      const devUrl = this.devUrls.get(dialect.name);
      server = provider
        .open({
          major: null,
          ...(devUrl ? { devUrl } : {}),
          ...(this.onWarning ? { onWarning: this.onWarning } : {}),
        })
        .then((opened) => {
          this.releases.push(closeOnSignals(opened));
          return opened;
        });
      this.opening.set(dialect.name, server);
    }
    return server;
  }

  async close(): Promise<void> {
    for (const release of this.releases) release();
    // A server that failed to open has nothing to close; its error was the service's to report.
    const results = await Promise.allSettled(
      [...this.opening.values()].map(async (opening) => (await opening.catch(() => null))?.close()),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}
