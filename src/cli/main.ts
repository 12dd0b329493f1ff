#!/usr/bin/env node
// The `schemapilot` executable. Everything lives in program.ts so tests can run the CLI in-process.
import { setFlagsFromString } from 'node:v8';
import { run } from './program.js';

// The PostgreSQL parser is WebAssembly that a CLI run calls once per file. V8's default tiering
// spends that run compiling it a second time with its optimising compiler, which costs more than
// it saves in a short process: baseline code alone parses a 1,000-statement file about 3× faster
// from a cold start (bench/RESULTS.md, "analyze"). Library users keep V8's default.
setFlagsFromString('--liftoff-only');

process.exitCode = await run(process.argv.slice(2));
