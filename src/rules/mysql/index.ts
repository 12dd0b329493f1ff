/**
 * The MySQL/MariaDB rules (meta.dialects ['mysql']), in id order: one file per rule, docs in
 * docs/rules/<id>.md, tests in test/rules/mysql/. src/rules/index.ts adds them to allRules.
 */
import type { Rule } from '../../core/rule.js';
import mysqlAddAutoIncrement from './mysql-add-auto-increment.js';
import mysqlAlgorithmLockMissing from './mysql-algorithm-lock-missing.js';
import mysqlCharsetConversion from './mysql-charset-conversion.js';
import mysqlColumnTypeChange from './mysql-column-type-change.js';
import mysqlCopyLargeTable from './mysql-copy-large-table.js';
import mysqlDropPrimaryKey from './mysql-drop-primary-key.js';
import mysqlEnumValueOrder from './mysql-enum-value-order.js';
import mysqlFloatForMoney from './mysql-float-for-money.js';
import mysqlForeignKeyChecksOff from './mysql-foreign-key-checks-off.js';
import mysqlForeignKeyCopy from './mysql-foreign-key-copy.js';
import mysqlFulltextBlocksWrites from './mysql-fulltext-blocks-writes.js';
import mysqlLockWaitTimeoutMissing from './mysql-lock-wait-timeout-missing.js';
import mysqlModifyDropsDefault from './mysql-modify-drops-default.js';
import mysqlMyisamAlter from './mysql-myisam-alter.js';
import mysqlNotNullWithNulls from './mysql-not-null-with-nulls.js';
import mysqlSeveralDdlInFile from './mysql-several-ddl-in-file.js';
import mysqlTableRebuild from './mysql-table-rebuild.js';
import mysqlTypeNarrowing from './mysql-type-narrowing.js';
import mysqlUtf8mb3 from './mysql-utf8mb3.js';

export const mysqlRules: readonly Rule[] = [
  mysqlAddAutoIncrement,
  mysqlAlgorithmLockMissing,
  mysqlCharsetConversion,
  mysqlColumnTypeChange,
  mysqlCopyLargeTable,
  mysqlDropPrimaryKey,
  mysqlEnumValueOrder,
  mysqlFloatForMoney,
  mysqlForeignKeyChecksOff,
  mysqlForeignKeyCopy,
  mysqlFulltextBlocksWrites,
  mysqlLockWaitTimeoutMissing,
  mysqlModifyDropsDefault,
  mysqlMyisamAlter,
  mysqlNotNullWithNulls,
  mysqlSeveralDdlInFile,
  mysqlTableRebuild,
  mysqlTypeNarrowing,
  mysqlUtf8mb3,
];
