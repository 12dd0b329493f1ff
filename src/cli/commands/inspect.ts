import type { Command } from 'commander';
import { canonicalJson, canonicalJsonChunks } from '../../schema/canonical-json.js';
import { inspectDatabase } from '../../api/input.js';
import { chooseDialect, dialectNames } from '../../dialects/index.js';
import { toBriefTableShape } from '../../schema/brief-shape.js';
import { requireTable } from '../../schema/lookup.js';
import { renderSnapshotText, renderTable } from '../../reporters/snapshot-text.js';
import { emit, oneOf, painterForOutput, resolveDbUrl } from '../io.js';
import { addNetworkOptions } from '../network.js';

interface InspectFlags {
  db?: string;
  schema?: string[];
  table?: string;
  format: string;
  output?: string;
  dialect?: string;
}

export function registerInspect(program: Command): void {
  addNetworkOptions(program.command('inspect'))
    .description('Read the live schema (tables, columns, constraints, indexes, views, sizes) into a snapshot')
    .option('--db <url>', 'database URL (default: $DATABASE_URL)')
    .option(
      '--schema <name...>',
      "schemas to inspect (default: every non-system schema; MySQL: the URL's database)",
    )
    .option('--dialect <name>', `${dialectNames().join(' or ')} (default: from the URL's scheme)`)
    .option(
      '--table <name>',
      "only this table, in the brief's shape (columns, indexes, foreign_keys, primary_key)",
    )
    .option('--format <format>', 'text or json', 'text')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      `
Runs in a read-only transaction; never writes. JSON is sorted and carries a content
hash of the structure (statistics excluded), which plan and deploy use to detect drift.

Examples:
  schemapilot inspect --db postgres://postgres@localhost/app --format json > snapshot.json
  schemapilot inspect --db mysql://root@127.0.0.1:3306/shop --format json
  schemapilot inspect --table users --format json        # uses $DATABASE_URL`,
    )
    .action(async (flags: InspectFlags) => {
      const format = oneOf('--format', flags.format, ['text', 'json'] as const);
      const url = resolveDbUrl(flags.db) as string;
      const dialect = chooseDialect({
        name: flags.dialect,
        url,
        urlSource: flags.db !== undefined ? '--db' : 'DATABASE_URL',
      });
      const snapshot = await inspectDatabase(url, { dialect, schemas: flags.schema });
      if (flags.table !== undefined) {
        const table = requireTable(snapshot, flags.table);
        emit(
          format === 'json'
            ? canonicalJson(toBriefTableShape(table), 2)
            : renderTable(table, painterForOutput(flags.output)).join('\n'),
          flags.output,
        );
        return;
      }
      emit(
        format === 'json'
          ? canonicalJsonChunks(snapshot, 2)
          : renderSnapshotText(snapshot, painterForOutput(flags.output)),
        flags.output,
      );
    });
}
