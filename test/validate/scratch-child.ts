/**
 * Child process for the kill and Ctrl-C tests of scratch.test.ts: opens an embedded scratch
 * server and a dev-url scratch server (SCRATCH_DEV_URL), creates a database on each, guards
 * both with closeOnSignals, prints one JSON line and waits to be signalled.
 */
import { closeOnSignals, openScratchServer } from '../../src/dialects/postgres/scratch/scratch.js';

const devUrl = process.env['SCRATCH_DEV_URL'];
if (!devUrl) throw new Error('SCRATCH_DEV_URL is not set');

const embedded = await openScratchServer({ major: 18 });
closeOnSignals(embedded);
const dev = await openScratchServer({ major: 18, devUrl });
closeOnSignals(dev);
const embeddedDb = await embedded.createDatabase();
const devDb = await dev.createDatabase();
process.stdout.write(JSON.stringify({ ready: true, embeddedDb: embeddedDb.name, devDb: devDb.name }) + '\n');
// Keep the event loop alive until a signal arrives.
setInterval(() => undefined, 60_000);
