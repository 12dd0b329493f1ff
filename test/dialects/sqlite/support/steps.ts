/**
 * SQLite's step text as the dialect's step runner prints it (the driver, written in parallel:
 * src/dialects/sqlite/steps/runner.ts there): the step's busy timeout first, then its SQL; PRAGMA
 * foreign_keys and journal_mode, VACUUM and a statement that opens a transaction refuse one;
 * statements sent as one string run one by one, each committing on its own. The writers' tests
 * use this until that runner is merged; then `stepTextOf(sqliteDialect)` replaces it.
 */
import type { StepText } from '../../../../src/core/dialect/deploy.js';

const REFUSES_TRANSACTION = /^\s*(?:PRAGMA\s+(?:\w+\.)?(?:foreign_keys|journal_mode)\b|VACUUM\b|BEGIN\b)/i;

export const SQLITE_STEP_TEXT: StepText = {
  text: (step) => [`PRAGMA busy_timeout = ${Math.max(0, Math.round(step.lockTimeoutMs))}`, ...step.sql],
  outsideTransaction: (sql) => sql.some((s) => REFUSES_TRANSACTION.test(s)),
  ddlAutocommits: true,
};
