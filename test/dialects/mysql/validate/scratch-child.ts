/**
 * Child process for the kill and Ctrl-C tests of scratch.test.ts: opens a throwaway MariaDB
 * scratch server and a dev-url scratch server (SCRATCH_DEV_URL), creates a database on each,
 * guards both with closeOnSignals, prints one JSON line and waits to be signalled.
 */
import { mysqlScratch } from '../../../../src/dialects/mysql/scratch/provider.js';
import { closeOnSignals } from '../../../../src/validate/scratch.js';

const devUrl = process.env['SCRATCH_DEV_URL'];
if (!devUrl) throw new Error('SCRATCH_DEV_URL is not set');

const throwaway = await mysqlScratch.open({ major: null });
closeOnSignals(throwaway);
const dev = await mysqlScratch.open({ major: null, devUrl });
closeOnSignals(dev);
const throwawayDb = await throwaway.createDatabase();
const devDb = await dev.createDatabase();
process.stdout.write(
  JSON.stringify({ ready: true, throwawayDb: throwawayDb.name, devDb: devDb.name }) + '\n',
);
// Keep the event loop alive until a signal arrives.
setInterval(() => undefined, 60_000);
