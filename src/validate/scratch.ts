/**
 * A scratch server's lifetime in a command: opened through the dialect's provider, closed
 * whatever happens, Ctrl-C included. Dialect-neutral: any ScratchServer closes the same way.
 */
import { redactUrl } from '../core/errors.js';
import type { ScratchProvider, ScratchServer, ScratchServerOptions } from '../core/dialect/scratch.js';

/**
 * Open a scratch server, run `fn`, and close the server whatever happens: on return, on a
 * throw, and on SIGINT/SIGTERM (see `closeOnSignals`). The way commands should use scratch servers.
 */
export async function withScratch<T>(
  provider: ScratchProvider,
  options: ScratchServerOptions,
  fn: (server: ScratchServer) => Promise<T>,
): Promise<T> {
  const server = await provider.open(options);
  const release = closeOnSignals(server);
  try {
    return await fn(server);
  } finally {
    release();
    await server.close();
  }
}

const guarded = new Set<ScratchServer>();
let signalled = false;

const onSignal = (signal: NodeJS.Signals): void => {
  const code = signal === 'SIGINT' ? 130 : 143;
  // A second Ctrl-C while cleaning up means "quit now"; the next run reaps what is left.
  if (signalled) process.exit(code);
  signalled = true;
  process.stderr.write(`\nschemapilot: ${signal}: removing scratch databases (again to quit at once)\n`);
  void Promise.allSettled([...guarded].map((s) => s.close())).then((results) => {
    for (const r of results) {
      if (r.status === 'rejected') process.stderr.write(`schemapilot: ${errorMessage(r.reason)}\n`);
    }
    process.exit(code);
  });
};

/**
 * On SIGINT/SIGTERM, close `server` (and every other guarded one: one handler for all, so the
 * first to finish cannot exit the process under the others), then exit with 130/143 as a shell
 * does for a process killed by that signal. Returns a function that stops guarding `server`;
 * the handlers are removed once nothing is guarded, restoring the default behaviour.
 */
export function closeOnSignals(server: ScratchServer): () => void {
  if (guarded.size === 0) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  guarded.add(server);
  return () => {
    if (!guarded.delete(server) || guarded.size > 0) return;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

function errorMessage(error: unknown): string {
  return redactUrl(error instanceof Error ? error.message : String(error));
}
