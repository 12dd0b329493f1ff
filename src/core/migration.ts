/**
 * What the engine reads (migration files, as a migration tool deploys them) and the
 * per-statement data the assessment needs beyond the JSON contract. Shared by the analysis
 * loop, the format readers, the planner and the dialects.
 */
import type { ChangeFacts, TransactionMode } from './analysis.js';

export interface MigrationFile {
  /** Path as shown to the user (relative where possible). */
  path: string;
  sql: string;
  transaction: TransactionMode;
  /**
   * Runs inside the transaction the runner opened for the previous file, while it is open:
   * drizzle-orm's migrator applies every pending migration in one transaction.
   */
  continuesTransaction?: boolean;
  /**
   * Files with the same label are deployed together, so a table one creates is still new in
   * the next (a plan's steps). Absent: the file is its own deploy.
   */
  deployUnit?: string;
}

/** Per-statement data the assessment needs beyond the JSON contract. */
export interface StatementDetail {
  facts: ChangeFacts[];
  /** Transaction the statement ran in (null: autocommit). */
  transactionId: number | null;
  /** Execution time estimate, ms, whether or not its lock blocks traffic. */
  durationMs: number;
  /** Tables the statement touches that already existed (not created by this migration). */
  existingTables: string[];
}
