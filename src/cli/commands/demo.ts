import type { Command } from 'commander';
import { inspectPostgres } from '../../dialects/postgres/introspect.js';
import { connectPostgres } from '../../dialects/postgres/connect.js';
import { renderSnapshotText } from '../../reporters/snapshot-text.js';
import { startEmbeddedPostgres } from '../../validate/embedded-server.js';
import { readExample } from '../examples.js';
import { painterForOutput } from '../io.js';

/**
 * The first-screen command: no server to install. Starts an embedded PostgreSQL, loads the
 * bundled shop example, and runs the main job on it.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run schemapilot on the bundled example against an embedded PostgreSQL (no server needed)')
    .action(async () => {
      const paint = painterForOutput(undefined);
      process.stderr.write(paint.dim('starting an embedded PostgreSQL…\n'));
      const server = await startEmbeddedPostgres();
      const stopOnSignal = () => void server.stop().finally(() => process.exit(130));
      process.once('SIGINT', stopOnSignal);
      try {
        const admin = await connectPostgres(server.url);
        await admin.query('CREATE DATABASE shop');
        await admin.end();
        const url = server.url.replace(/\/postgres$/, '/shop');
        const shop = await connectPostgres(url);
        await shop.query(readExample('shop/schema.sql'));
        await shop.end();
        process.stderr.write(
          paint.dim(`loaded examples/shop/schema.sql into PostgreSQL ${server.major}\n\n`),
        );
        const snapshot = await inspectPostgres(url);
        process.stdout.write(renderSnapshotText(snapshot, paint));
      } finally {
        process.removeListener('SIGINT', stopOnSignal);
        await server.stop();
      }
    });
}
