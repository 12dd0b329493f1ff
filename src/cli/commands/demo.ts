import { join } from 'node:path';
import type { Command } from 'commander';
import { check } from '../../api/check.js';
import { DEFAULT_CONFIG } from '../../config/types.js';
import { connectPostgres } from '../../dialects/postgres/connect.js';
import { inspectPostgres } from '../../dialects/postgres/introspect.js';
import { readMigrations } from '../../api/read.js';
import { renderAnalysisText } from '../../reporters/analysis-text.js';
import { renderPlanText } from '../../reporters/plan-text.js';
import { formatBytes, formatCount } from '../../reporters/units.js';
import { renderChecklist, renderValidationText } from '../../reporters/validation-text.js';
import { startEmbeddedPostgres } from '../../dialects/postgres/scratch/embedded-server.js';
import { closeOnSignals, openScratchServer } from '../../dialects/postgres/scratch/scratch.js';
import { examplesDir, readExample } from '../examples.js';
import { painterForOutput } from '../io.js';

/**
 * The first-screen command: no server to install. Starts an embedded PostgreSQL, loads the
 * bundled shop example as the "production" database, and runs the main job on its migrations:
 * `check --dry-run` (analyze, plan, validate on a scratch database with synthesized rows).
 * The scratch databases live on the same embedded server: one server start, not two.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run `check --dry-run` on the bundled example against an embedded PostgreSQL (no server needed)',
    )
    .action(async () => {
      const paint = painterForOutput(undefined);
      const note = (s: string) => void process.stderr.write(paint.dim(s));
      note('starting an embedded PostgreSQL…\n');
      const server = await startEmbeddedPostgres();
      const scratch = await openScratchServer({ major: server.major, devUrl: server.url });
      const release = closeOnSignals({
        ...scratch,
        close: async () => (await scratch.close(), await server.stop()),
      });
      try {
        const admin = await connectPostgres(server.url);
        await admin.query('CREATE DATABASE shop');
        await admin.end();
        const url = server.url.replace(/\/postgres$/, '/shop');
        const shop = await connectPostgres(url);
        await shop.query(readExample('shop/schema.sql'));
        await shop.end();
        note(`loaded examples/shop/schema.sql into PostgreSQL ${server.major} as the target database\n`);

        const snapshot = await inspectPostgres(url);
        const out: string[] = [paint.bold(`Target: shop (PostgreSQL ${snapshot.serverVersion})`)];
        for (const t of snapshot.tables) {
          out.push(
            `  ${t.schema}.${t.name}: ~${formatCount(t.stats.rowEstimate ?? 0)} rows, ${formatBytes(t.stats.tableBytes)}, ${t.columns.length} columns`,
          );
        }
        const { files } = await readMigrations(join(examplesDir(), 'shop', 'migrations'));
        out.push(
          '',
          paint.bold(`$ schemapilot check examples/shop/migrations --db <shop> --dry-run --synthesize 1000`),
          '',
        );
        process.stdout.write(out.join('\n') + '\n');

        // Treat the example tables as large, so the demo shows what a busy production table gets.
        const config = { ...DEFAULT_CONFIG, rules: {}, largeTableRows: 10_000 };
        const result = await check({
          files,
          snapshot,
          schema: { kind: 'snapshot', snapshot },
          scratch,
          data: { kind: 'synthesize', rowsPerTable: 1000 },
          config,
          onProgress: (m) => note(`· ${m}\n`),
        });
        process.stdout.write(
          [
            renderChecklist(result.checklist, paint),
            '',
            paint.bold('── Analysis'),
            renderAnalysisText(result.analysis, paint),
            paint.bold('── Plan'),
            renderPlanText(result.plan, paint),
            paint.bold('── Validation'),
            renderValidationText(result.validation, paint),
            paint.dim(
              '(the demo counts tables of 10k+ rows as large; the default is 100k, see largeTableRows)',
            ),
          ].join('\n') + '\n',
        );
        process.exitCode = result.safeToDeploy ? 0 : 1;
      } finally {
        release();
        await scratch.close();
        await server.stop();
      }
    });
}
