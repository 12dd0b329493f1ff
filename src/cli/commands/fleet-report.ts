/**
 * `schemapilot fleet report`: the merge job of a matrix. Each job checked one service (`fleet
 * check --only NAME --format json`, or `check --format json -o NAME.json`); this merges their
 * reports into the one summary and comment a single `fleet check` would have printed.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { readJsonFile } from '../../core/json-input.js';
import { mergeReports } from '../../fleet/merge.js';
import { FLEET_FORMATS, renderFleet } from '../fleet-output.js';
import { emit, oneOf, painterForOutput, printNote } from '../io.js';

interface FleetReportFlags {
  format: string;
  output?: string;
  root?: string;
  since?: string;
}

export function registerFleetReport(fleet: Command): void {
  fleet
    .command('report')
    .description(
      "Merge fleet reports and services' check reports (JSON, one per matrix job) into one summary and PR comment",
    )
    .argument('<reports...>', 'fleet check --format json or check --format json outputs (NAME.json)')
    .option('--format <format>', FLEET_FORMATS.join(', '), 'text')
    .option('-o, --output <file>', 'write the report to a file')
    .option(
      '--root <dir>',
      "the repository root, which the report's file names are relative to (default: the current directory)",
    )
    .option(
      '--since <ref>',
      'the git ref the changes were computed against (default: the fleet reports’ own)',
    )
    .addHelpText(
      'after',
      `
Each file is either a fleet report (fleet check --format json, fleet report --format json) or
one service's check --format json output, whose service is named after the file (orders.json
is "orders"; its owners and shared database are not in it: use fleet check --only NAME for
them). A service reported by two files is an error naming both. The merged report is what one
fleet check job would have printed: the same table, the same comment.

Exit codes: 0 every service is safe, 1 any is not (or was skipped or failed), 2 bad input.

Examples:
  schemapilot fleet report reports/*.json --format markdown -o comment.md
  schemapilot fleet report reports/*.json --format sarif -o fleet.sarif`,
    )
    .action((files: string[], flags: FleetReportFlags) => {
      const format = oneOf('--format', flags.format, FLEET_FORMATS);
      const cwd = process.cwd();
      const root = flags.root === undefined ? cwd : resolve(flags.root);
      if (flags.root !== undefined && !isDirectory(root))
        throw new InputError(`--root ${flags.root}: not a directory`);
      const inputs = files.map((file) => ({ file, value: readJsonFile(file) }));
      const { report, warnings } = mergeReports(inputs, {
        root,
        cwd,
        ...(flags.since !== undefined ? { since: flags.since } : {}),
      });
      for (const w of warnings) printNote('warning', w);
      emit(renderFleet(report, format, { root, paint: painterForOutput(flags.output) }), flags.output);
      process.exitCode = report.safe ? 0 : 1;
    });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
