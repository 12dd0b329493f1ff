/**
 * The SQLite rules (meta.dialects ['sqlite']), in id order: one file per rule, docs in
 * docs/rules/<id>.md, tests in test/rules/sqlite/. src/rules/index.ts adds them to allRules.
 * The rules for every dialect speak SQLite through generic.ts (docs/decisions/0036-sqlite-rules.md).
 */
import type { Rule } from '../../core/rule.js';
import sqliteAddColumnRefused from './sqlite-add-column-refused.js';
import sqliteBusyTimeoutMissing from './sqlite-busy-timeout-missing.js';
import sqliteDropColumnRefused from './sqlite-drop-column-refused.js';
import sqliteForeignKeysOff from './sqlite-foreign-keys-off.js';
import sqliteLegacyAlterTable from './sqlite-legacy-alter-table.js';
import sqliteRebuildLargeTable from './sqlite-rebuild-large-table.js';
import sqliteTableRebuild from './sqlite-table-rebuild.js';

export const sqliteRules: readonly Rule[] = [
  sqliteAddColumnRefused,
  sqliteBusyTimeoutMissing,
  sqliteDropColumnRefused,
  sqliteForeignKeysOff,
  sqliteLegacyAlterTable,
  sqliteRebuildLargeTable,
  sqliteTableRebuild,
];
