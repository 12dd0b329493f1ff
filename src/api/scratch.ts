/**
 * Scratch servers for commands and the MCP server, through the dialect's scratch provider:
 * opened, handed to the work, and closed whatever happens, on Ctrl-C too.
 *
 * The signal guard is the dialect-neutral part of dialects/postgres/scratch/scratch.ts's
 * (closeOnSignals, withScratchServer), which should come to use this one once validate and
 * deploy go through the contract: until then each keeps its own set of guarded servers.
 */
import type { Dialect, ScratchServer, ScratchServerOptions } from '../core/dialect/index.js';
import { InputError, redactUrl } from '../core/errors.js';

/** Open the dialect's scratch server, run `fn`, and close the server on return, throw or signal. */
export async function withScratchServer<T>(
  dialect: Dialect,
  options: ScratchServerOptions,
  fn: (server: ScratchServer) => Promise<T>,
): Promise<T> {
  const server = await openScratch(dialect, options);
  const release = closeOnSignals(server);
  try {
    return await fn(server);
  } finally {
    release();
    await server.close();
  }
}

export function openScratch(dialect: Dialect, options: ScratchServerOptions): Promise<ScratchServer> {
  if (!dialect.scratch)
    throw new InputError(`the ${dialect.title} dialect has no scratch server: it cannot validate`);
  return dialect.scratch.open(options);
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
      if (r.status === 'rejected') {
        const reason: unknown = r.reason;
        process.stderr.write(
          `schemapilot: ${redactUrl(reason instanceof Error ? reason.message : String(reason))}\n`,
        );
      }
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
