/**
 * Which migrations are pending on a live database, as the tool that runs them would say: its
 * own history table, read on the caller's (read-only) session. The table is looked up in the
 * standard catalog first (information_schema.tables, on PostgreSQL and MySQL alike; the dialect's
 * `tableExists` where there is no such catalog, SQLite): no table
 * means the tool has applied nothing there yet, so every file is pending. Only SELECTs are sent,
 * and only fixed names go into them, quoted by the dialect (history-tools.ts names the tables).
 */
import { resolve } from 'node:path';
import type { Dialect, Session } from '../core/dialect/index.js';
import { InputError, SchemapilotError } from '../core/errors.js';
import type { MigrationFile } from '../core/migration.js';
import type { RunnerName } from '../config/types.js';
import { HISTORY_TOOLS, NO_HISTORY, type HistoryEntry, type HistoryRow } from './history-tools.js';

export interface PendingOptions {
  /** The tool that runs the files (readMigrations' `runner`). */
  runner: RunnerName;
  /** Every migration of the service, in the order the tool runs them. */
  files: readonly MigrationFile[];
  /** What the files' paths are relative to. */
  cwd: string;
  dialect: Dialect;
  /** On the database the tool migrates; left open. */
  session: Session;
}

export interface PendingMigrations {
  /** Not applied yet, in run order: what the next deploy runs. */
  pending: MigrationFile[];
  /** Applied: the live schema already has them. */
  applied: MigrationFile[];
  /** The history table as `schema.table`. */
  table: string;
  /** False when the table does not exist (nothing applied yet). */
  found: boolean;
  /** What the analysis should say about the history (one line each). */
  notes: string[];
}

/** The runner keeps no history schemapilot reads: the message says why, naming it. */
export class HistoryUnknownError extends InputError {
  constructor(
    readonly runner: RunnerName,
    why: string,
  ) {
    super(
      runner === 'plain' || runner === 'psql'
        ? `${why} (runner ${runner})`
        : `schemapilot does not read ${runner}'s history (${why})`,
    );
    this.name = 'HistoryUnknownError';
  }
}

export async function pendingMigrations(options: PendingOptions): Promise<PendingMigrations> {
  const { runner, files, dialect, session } = options;
  const tool = HISTORY_TOOLS[runner];
  if (!tool) throw new HistoryUnknownError(runner, NO_HISTORY[runner] ?? 'its history table is not known');
  const reads = dialect.driver?.reads;
  if (!reads) throw new InputError(`schemapilot cannot read a migration tool's history on ${dialect.title}`);
  const q = dialect.language.engine(dialect.language.defaultSchema).quote;

  const schema = tool.schemaOn?.[dialect.name] ?? (await reads.currentSchema(session));
  if (schema === null)
    throw new InputError(`the database URL names no database, so ${runner}'s ${tool.table} cannot be found`);
  const where = `${schema}.${tool.table}`;
  // The catalog, not a failed SELECT: an error would abort the caller's transaction, and the
  // standard view answers the same on PostgreSQL and MySQL.
  const found = reads.tableExists
    ? await reads.tableExists(session, schema, tool.table)
    : (
        await reads.select(
          session,
          `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${q.literal(schema)} AND table_name = ${q.literal(tool.table)}`,
        )
      ).length > 0;
  if (!found) {
    return {
      pending: [...files],
      applied: [],
      table: where,
      found: false,
      notes: [
        `no ${where} in the database: ${runner} has applied nothing here yet, so all ${files.length} migration${files.length === 1 ? ' is' : 's are'} pending (a table the tool is configured to keep elsewhere is not looked for)`,
      ],
    };
  }

  const columns = tool.columns.map((c) => q.ident(c)).join(', ');
  const order = tool.orderBy ? ` ORDER BY ${q.ident(tool.orderBy)}` : '';
  let rows: HistoryRow[];
  try {
    rows = await reads.select(
      session,
      `SELECT ${columns} FROM ${q.ident(schema)}.${q.ident(tool.table)}${order}`,
    );
  } catch (error) {
    throw new SchemapilotError(
      `${where}: ${error instanceof Error ? error.message : String(error)} (is ${runner} the tool that wrote it?)`,
      { cause: error },
    );
  }

  const entries = uniqueEntries(files, options.cwd);
  const judgement = tool.judge(entries, rows, where);
  const notes = [...judgement.notes];
  if (judgement.absent.length > 0) {
    const shown = judgement.absent.slice(0, 3).join(', ');
    const more = judgement.absent.length > 3 ? ` and ${judgement.absent.length - 3} more` : '';
    notes.push(
      `${where} lists ${judgement.absent.length === 1 ? 'a migration' : `${judgement.absent.length} migrations`} that no file of the service is for: ${shown}${more}`,
    );
  }
  return {
    pending: files.filter((f) => !judgement.applied.has(f.path)),
    applied: files.filter((f) => judgement.applied.has(f.path)),
    table: where,
    found: true,
    notes,
  };
}

/** One entry per file (dbmate's up sections of one file share it), its sections' text joined. */
function uniqueEntries(files: readonly MigrationFile[], cwd: string): HistoryEntry[] {
  const byPath = new Map<string, HistoryEntry>();
  for (const f of files) {
    const seen = byPath.get(f.path);
    if (seen) seen.sql += f.sql;
    else byPath.set(f.path, { path: f.path, absolute: resolve(cwd, f.path), sql: f.sql });
  }
  return [...byPath.values()];
}
