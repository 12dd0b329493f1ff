#!/usr/bin/env node
// The `schemapilot` executable. Everything lives in program.ts so tests can run the CLI in-process.
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
