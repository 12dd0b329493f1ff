/**
 * Every rule, in id order. Adding a rule: `npm run new:rule <id>` writes the rule, its test and
 * its docs page, and adds it here.
 */
import type { Rule } from '../core/rule.js';
import addColumnVolatileDefault from './add-column-volatile-default.js';
import addRequiredColumn from './add-required-column.js';
import dropColumn from './drop-column.js';
import foreignKeyValidatedInline from './foreign-key-validated-inline.js';
import indexCreateNotConcurrent from './index-create-not-concurrent.js';
import lockTimeoutMissing from './lock-timeout-missing.js';
import setNotNullScan from './set-not-null-scan.js';
import unrecognizedStatement from './unrecognized-statement.js';

export const allRules: readonly Rule[] = [
  addColumnVolatileDefault,
  addRequiredColumn,
  dropColumn,
  foreignKeyValidatedInline,
  indexCreateNotConcurrent,
  lockTimeoutMissing,
  setNotNullScan,
  unrecognizedStatement,
];
