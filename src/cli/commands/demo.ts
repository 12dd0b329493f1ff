import { join } from 'node:path';
import type { Command } from 'commander';
import { analyze } from '../../api/analyze.js';
import { DEFAULT_CONFIG } from '../../config/types.js';
import { connectPostgres } from '../../dialects/postgres/connect.js';
import { inspectPostgres } from '../../dialects/postgres/introspect.js';
import { readMigrations } from '../../formats/read.js';
import { renderAnalysisText } from '../../reporters/analysis-text.js';
import { formatBytes, formatCount } from '../../reporters/units.js';
import { startEmbeddedPostgres } from '../../validate/embedded-server.js';
import { examplesDir, readExample } from '../examples.js';
import { painterForOutput } from '../io.js';

/**
 * The first-screen command: no server to install. Starts an embedded PostgreSQL, loads the
 * bundled shop example, and runs the main job on its migrations.
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
        const out: string[] = [paint.bold(`Schema of shop (PostgreSQL ${snapshot.serverVersion})`)];
        for (const t of snapshot.tables) {
          out.push(
            `  ${t.schema}.${t.name}: ~${formatCount(t.stats.rowEstimate ?? 0)} rows, ${formatBytes(t.stats.tableBytes)}, ${t.columns.length} columns`,
          );
        }
        process.stdout.write(out.join('\n') + '\n');

        // Treat the example tables as large, so the demo shows what a busy production table gets.
        const config = { ...DEFAULT_CONFIG, rules: {}, largeTableRows: 10_000 };
        const { files } = await readMigrations(join(examplesDir(), 'shop', 'migrations'));
        for (const file of files) {
          process.stdout.write(`\n${paint.bold(`── ${file.path}`)}\n`);
          const result = await analyze({ files: [file], snapshot, config });
          process.stdout.write(renderAnalysisText(result, paint));
        }
        process.stdout.write(
          paint.dim(
            '\n(the demo counts tables of 10k+ rows as large; the default is 100k, see largeTableRows)\n',
          ),
        );
      } finally {
        process.removeListener('SIGINT', stopOnSignal);
        await server.stop();
      }
    });
}
