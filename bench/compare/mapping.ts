/**
 * squawk rule ids → schemapilot rule ids that report the same problem. A squawk finding on a
 * statement agrees with us when we report any of the mapped rules on that statement; an empty
 * list means we have no counterpart. Rule names are those squawk 2.66 prints in its JSON.
 */
export const SQUAWK_TO_OURS: Readonly<Record<string, readonly string[]>> = {
  // locking
  'require-concurrent-index-creation': ['index-create-not-concurrent'],
  'require-concurrent-index-deletion': ['index-drop-not-concurrent'],
  'require-concurrent-reindex': ['reindex-not-concurrent'],
  'require-concurrent-partition-detach': ['partition-detach-not-concurrent'],
  // squawk also raises this one for UNIQUE, PRIMARY KEY and EXCLUDE, which cannot be NOT VALID;
  // we report those statements for the index they build under ACCESS EXCLUSIVE.
  'constraint-missing-not-valid': [
    'check-constraint-validated-inline',
    'foreign-key-validated-inline',
    'validate-in-same-transaction',
    'unique-constraint-direct',
    'primary-key-direct',
    'exclusion-constraint-added',
  ],
  'adding-foreign-key-constraint': ['foreign-key-validated-inline'],
  'adding-not-nullable-field': ['set-not-null-scan'],
  'adding-field-with-default': [
    'add-column-volatile-default',
    'add-stored-generated-column',
    'add-auto-increment-column',
  ],
  'adding-serial-primary-key-field': ['primary-key-direct', 'add-auto-increment-column'],
  'changing-column-type': ['change-column-type-rewrite', 'type-narrowing'],
  'disallowed-unique-constraint': ['unique-constraint-direct'],
  'prefer-repack': ['vacuum-full-or-cluster'],
  // transactions and timeouts
  'ban-concurrent-index-creation-in-transaction': ['concurrently-in-transaction'],
  'transaction-nesting': ['transaction-nesting'],
  'ban-uncommitted-transaction': [],
  'require-lock-timeout': ['lock-timeout-missing'],
  'require-statement-timeout': [],
  'require-timeout-settings': ['lock-timeout-missing'],
  // breaking changes
  'ban-drop-column': ['drop-column'],
  'ban-drop-table': ['drop-table'],
  'ban-drop-database': ['drop-database'],
  'ban-drop-not-null': ['drop-not-null'],
  'ban-truncate-cascade': ['cascade'],
  'renaming-column': ['rename-column'],
  'renaming-table': ['rename-table'],
  'adding-required-field': ['add-required-column'],
  'require-enum-value-ordering': [],
  'ban-create-domain-with-constraint': [],
  'ban-alter-domain-with-add-constraint': [],
  // style and hygiene
  'prefer-robust-stmts': [],
  'prefer-text-field': [],
  'prefer-bigint-over-int': [],
  'prefer-bigint-over-smallint': [],
  'prefer-identity': [],
  'prefer-timestamp-tz': [],
  'ban-char-field': [],
  'identifier-too-long': [],
  'ban-duplicate-column-assignments': [],
  'require-table-schema': [],
};

/** Our rules that map back to a squawk rule (the reverse of the table above). */
export function squawkRulesFor(ourRule: string): string[] {
  return Object.entries(SQUAWK_TO_OURS)
    .filter(([, ours]) => ours.includes(ourRule))
    .map(([squawk]) => squawk);
}
