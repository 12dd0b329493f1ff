import { join } from 'node:path';
import type { Command } from 'commander';
import type { ScratchServer } from '../../core/dialect/index.js';
import { check } from '../../api/check.js';
import { inspectDatabase } from '../../api/input.js';
import { readMigrations } from '../../api/read.js';
import { DEFAULT_CONFIG } from '../../config/types.js';
import { SchemapilotError } from '../../core/errors.js';
import { DEFAULT_DIALECT } from '../../dialects/index.js';
import { renderAnalysisText } from '../../reporters/analysis-text.js';
import { renderPlanText } from '../../reporters/plan-text.js';
import { formatBytes, formatCount } from '../../reporters/units.js';
import { renderChecklist, renderValidationText } from '../../reporters/validation-text.js';
import { closeOnSignals } from '../../validate/scratch.js';
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
      const dialect = DEFAULT_DIALECT;
      const { driver, scratch: provider } = dialect;
      if (!driver?.validation || !provider) throw new Error(`the demo needs ${dialect.title}'s driver`);
      const paint = painterForOutput(undefined);
      const note = (s: string) => void process.stderr.write(paint.dim(s));
      note(`starting an embedded ${dialect.title}…\n`);
      // One embedded server: the "production" database is a database on it, and the scratch
      // databases are created beside it (the scratch server is the same server, as --dev-url).
      const embedded = await provider.open({ major: null });
      let scratch: ScratchServer | undefined;
      const closeAll = async () => {
        await scratch?.close();
        await embedded.close();
      };
      const release = closeOnSignals({ ...embedded, close: closeAll });
      try {
        const shop = await embedded.createDatabase();
        const session = await driver.connect(shop.url, { applicationName: 'schemapilot demo' });
        try {
          const failed = await driver.validation.runAsWritten(session, [
            {
              path: 'examples/shop/schema.sql',
              sql: readExample('shop/schema.sql'),
              transaction: 'transaction',
            },
          ]);
          if (failed)
            throw new SchemapilotError(`examples/shop/schema.sql:${failed.line}: ${failed.message}`);
        } finally {
          await session.close();
        }
        note(
          `loaded examples/shop/schema.sql into ${dialect.title} ${embedded.major} as the target database\n`,
        );
        scratch = await provider.open({ major: embedded.major, devUrl: shop.url });

        const snapshot = await inspectDatabase(shop.url, { dialect });
        const out: string[] = [paint.bold(`Target: shop (${dialect.title} ${snapshot.serverVersion})`)];
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
          dialect,
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
        await closeAll();
      }
    });
}
