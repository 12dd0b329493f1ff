/**
 * What validate and check share: where the scratch database comes from (--dev-url or an
 * embedded server), how the schema gets there (--clone, --migrations) and what data it holds
 * (--synthesize, --sample-rows). Flags are checked before anything is started.
 */
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import type { MigrationFile } from '../core/migration.js';
import type { SchemaSource } from '../core/dialect/validation.js';
import type { DataOption } from '../validate/validate.js';
import { oneOf } from './io.js';

export interface ScratchFlags {
  devUrl?: string;
  synthesize?: string;
  sampleRows?: string;
  clone: string;
  migrations?: string;
}

const CLONE_METHODS = ['auto', 'snapshot', 'pg-dump'] as const;

export function addScratchOptions(command: Command): Command {
  return command
    .option(
      '--dev-url <url>',
      'scratch server to use instead of a throwaway one (embedded PostgreSQL, or mariadbd for MySQL): a temporary database is created there and dropped',
    )
    .option(
      '--migrations <dir>',
      'build the schema by replaying this migrations directory (instead of --db/--schema)',
    )
    .option(
      '--clone <method>',
      "how a live schema is copied: auto (the server's own dump: pg_dump --schema-only when a new enough one is on PATH, MySQL's SHOW CREATE; else the snapshot), snapshot, pg-dump (that dump, for either)",
      'auto',
    )
    .option(
      '--synthesize <rows>',
      'generate this many rows per table, consistent with constraints and foreign keys',
    )
    .option(
      '--sample-rows <rows>',
      'copy up to this many REAL rows per table from --db (opt-in: production data lands on the scratch server)',
    );
}

export interface ScratchPlan {
  data: DataOption;
  /** Returns the schema source once the snapshot is known. */
  schema(snapshot: SchemaSnapshot, url: string | undefined): SchemaSource;
  warnings: string[];
}

export function readScratchFlags(flags: ScratchFlags, dbUrl: string | undefined): ScratchPlan {
  const clone = oneOf('--clone', flags.clone, CLONE_METHODS);
  const warnings: string[] = [];
  const rows = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= 1 && n <= 10_000_000))
      throw new InputError(`${flag} must be a whole number of rows from 1 to 10000000; got "${value}"`);
    return n;
  };
  const synthesize = rows('--synthesize', flags.synthesize);
  const sample = rows('--sample-rows', flags.sampleRows);
  if (synthesize !== undefined && sample !== undefined)
    throw new InputError('give either --synthesize or --sample-rows, not both');
  let data: DataOption = { kind: 'none' };
  if (synthesize !== undefined)
    data = {
      kind: 'synthesize',
      rowsPerTable: synthesize,
      // NULL shares follow the live database's statistics (pg_stats), when there is one.
      ...(dbUrl ? { nullFractionsFrom: dbUrl } : {}),
    };
  if (sample !== undefined) {
    if (!dbUrl) throw new InputError('--sample-rows copies rows from the live database: give --db');
    data = { kind: 'sample', rowsPerTable: sample, sourceUrl: dbUrl };
    warnings.push(
      `--sample-rows: copying up to ${sample} real rows per table to the scratch database; it is dropped afterwards`,
    );
  }
  if (clone === 'pg-dump' && !dbUrl) throw new InputError('--clone pg-dump needs a live database: give --db');
  return {
    data,
    warnings,
    schema(snapshot, url) {
      if (url && clone !== 'snapshot') return { kind: 'pg-dump', url, snapshot };
      return { kind: 'snapshot', snapshot };
    },
  };
}

export type { MigrationFile };
