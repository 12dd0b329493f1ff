#!/usr/bin/env node
// The `schemapilot` executable. Everything lives in program.ts so tests can run the CLI in-process.
import { setFlagsFromString } from 'node:v8';

// The PostgreSQL parser is WebAssembly that a CLI run calls once per file. V8's default tiering
// spends that run compiling it a second time with its optimising compiler, which costs more than
// it saves in a short process: baseline code alone parses a 1,000-statement file about 3× faster
// from a cold start (bench/RESULTS.md, "analyze"). Library users keep V8's default.
setFlagsFromString('--liftoff-only');

// Commands that read SQL start compiling the parser's WebAssembly now, on V8's background
// threads, while the main thread loads the command's modules; the command's own load of the
// parser then finds it ready. A run on another dialect leaves the work unused, no error.
const PARSING_COMMANDS = new Set(['analyze', 'plan', 'check', 'validate', 'impact', 'fleet', 'ask']);
if (PARSING_COMMANDS.has(process.argv[2] ?? '')) {
  // The one import of a dialect's folder outside the registry, on purpose: going through
  // src/dialects/index.ts would load every dialect first, the very wait this overlaps (~15 ms of
  // a one-statement run, bench/RESULTS.md "analyze"). Failures are left to the command's own load.
  // eslint-disable-next-line schemapilot/layers
  void import('../dialects/postgres/parser.js').then((m) => m.loadPostgresParser()).catch(() => undefined);
}

// A reader that stops early (`schemapilot analyze … | head`) closes the pipe: the rest of the
// report has nowhere to go, which is no error. The run goes on to its own exit code (a shell
// with pipefail still learns the verdict); any other write error is thrown as before.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const { run } = await import('./program.js');
process.exitCode = await run(process.argv.slice(2));
