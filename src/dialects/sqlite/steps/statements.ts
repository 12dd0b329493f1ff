/**
 * What kind of statement a step's SQL is, as the SQLite step runner must know it: settings that
 * SQLite ignores or refuses inside a transaction, explicit transaction control, and checks whose
 * answer is rows rather than an error.
 */

const LEADING_COMMENTS = /^(?:\s*(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/))*\s*/;

/** The statement without leading comments and whitespace. */
export function head(sql: string): string {
  return sql.replace(LEADING_COMMENTS, '');
}

/**
 * Statements that must run outside a transaction: `PRAGMA foreign_keys` is a no-op inside one
 * (https://www.sqlite.org/foreignkeys.html#fk_enable), VACUUM fails in one
 * (https://www.sqlite.org/lang_vacuum.html), so do ATTACH/DETACH and a journal_mode change to or
 * from WAL (https://www.sqlite.org/pragma.html#pragma_journal_mode); BEGIN, COMMIT and their kin
 * are the step's own transaction control.
 */
export function refusesTransaction(sql: string): boolean {
  return (
    /^PRAGMA\s+(?:main\.)?(?:foreign_keys|journal_mode)\s*=/i.test(head(sql)) ||
    /^(?:VACUUM|ATTACH|DETACH|BEGIN|COMMIT|END|ROLLBACK(?!\s+TO)|SAVEPOINT|RELEASE)\b/i.test(head(sql))
  );
}

/** `PRAGMA name = value` (or `PRAGMA name(value)`): a setting, safe to apply again. */
export function isSetting(sql: string): boolean {
  return /^PRAGMA\s+(?:\w+\.)?\w+\s*(?:=|\()/i.test(head(sql));
}

/**
 * A check whose answer is rows: `PRAGMA foreign_key_check` (a row per violating row) and
 * `PRAGMA integrity_check`/`quick_check` (`ok`, or a row per problem). SQLite reports problems
 * as rows, not errors; the runner fails the step on them, which is what the 12-step rebuild's
 * "run PRAGMA foreign_key_check … if any violations, abort" means.
 * https://www.sqlite.org/lang_altertable.html#otheralter
 */
export function checkKind(sql: string): 'foreign_key_check' | 'integrity_check' | null {
  const h = head(sql);
  if (/^PRAGMA\s+(?:\w+\.)?foreign_key_check\b/i.test(h)) return 'foreign_key_check';
  if (/^PRAGMA\s+(?:\w+\.)?(?:integrity_check|quick_check)\b/i.test(h)) return 'integrity_check';
  return null;
}
