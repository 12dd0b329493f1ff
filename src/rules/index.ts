/**
 * Every rule, in id order. Adding a rule: `npm run new:rule -- <id>` writes the rule, its test and
 * its docs page, and adds it here.
 */
import type { Rule } from '../core/rule.js';
import addAutoIncrementColumn from './add-auto-increment-column.js';
import addColumnVolatileDefault from './add-column-volatile-default.js';
import addRequiredColumn from './add-required-column.js';
import addStoredGeneratedColumn from './add-stored-generated-column.js';
import backfillInDdlTransaction from './backfill-in-ddl-transaction.js';
import cascade from './cascade.js';
import changeColumnTypeRewrite from './change-column-type-rewrite.js';
import checkConstraintValidatedInline from './check-constraint-validated-inline.js';
import concurrentlyInTransaction from './concurrently-in-transaction.js';
import dmlWithoutWhere from './dml-without-where.js';
import dropColumn from './drop-column.js';
import dropDatabase from './drop-database.js';
import dropNotNull from './drop-not-null.js';
import dropSchema from './drop-schema.js';
import dropTable from './drop-table.js';
import enumValueChange from './enum-value-change.js';
import exclusionConstraintAdded from './exclusion-constraint-added.js';
import fkMissingIndex from './fk-missing-index.js';
import foreignKeyValidatedInline from './foreign-key-validated-inline.js';
import indexCreateNotConcurrent from './index-create-not-concurrent.js';
import indexDropNotConcurrent from './index-drop-not-concurrent.js';
import lockTimeoutMissing from './lock-timeout-missing.js';
import missingObject from './missing-object.js';
import partitionDetachNotConcurrent from './partition-detach-not-concurrent.js';
import primaryKeyDirect from './primary-key-direct.js';
import reindexNotConcurrent from './reindex-not-concurrent.js';
import renameColumn from './rename-column.js';
import renameTable from './rename-table.js';
import setNotNullScan from './set-not-null-scan.js';
import statementsAfterAccessExclusive from './statements-after-access-exclusive.js';
import tableRewrite from './table-rewrite.js';
import transactionNesting from './transaction-nesting.js';
import truncateTable from './truncate-table.js';
import typeNarrowing from './type-narrowing.js';
import uniqueConstraintDirect from './unique-constraint-direct.js';
import uniqueOnExistingData from './unique-on-existing-data.js';
import unrecognizedStatement from './unrecognized-statement.js';
import vacuumFullOrCluster from './vacuum-full-or-cluster.js';
import validateInSameTransaction from './validate-in-same-transaction.js';
import viewDependency from './view-dependency.js';
import { mysqlRules } from './mysql/index.js';
import { sqliteRules } from './sqlite/index.js';

export const allRules: readonly Rule[] = [
  addAutoIncrementColumn,
  addColumnVolatileDefault,
  addRequiredColumn,
  addStoredGeneratedColumn,
  backfillInDdlTransaction,
  cascade,
  changeColumnTypeRewrite,
  checkConstraintValidatedInline,
  concurrentlyInTransaction,
  dmlWithoutWhere,
  dropColumn,
  dropDatabase,
  dropNotNull,
  dropSchema,
  dropTable,
  enumValueChange,
  exclusionConstraintAdded,
  fkMissingIndex,
  foreignKeyValidatedInline,
  indexCreateNotConcurrent,
  indexDropNotConcurrent,
  lockTimeoutMissing,
  missingObject,
  partitionDetachNotConcurrent,
  primaryKeyDirect,
  reindexNotConcurrent,
  renameColumn,
  renameTable,
  setNotNullScan,
  statementsAfterAccessExclusive,
  tableRewrite,
  transactionNesting,
  truncateTable,
  typeNarrowing,
  uniqueConstraintDirect,
  uniqueOnExistingData,
  unrecognizedStatement,
  vacuumFullOrCluster,
  validateInSameTransaction,
  viewDependency,
  ...mysqlRules,
  ...sqliteRules,
];
