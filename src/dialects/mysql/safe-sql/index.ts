/**
 * MySQL/MariaDB's safe-SQL building blocks (the SafeSql contract, src/core/dialect/safe-sql.ts):
 * what rules' safe alternatives and plan recipes write their SQL with, plus the online DDL
 * section only these servers have (ALGORITHM/LOCK pins, instant changes, the online schema change
 * tools). Generated names keep within 64 characters (every name is cut in bytes, which is
 * never longer).
 */
import type { SafeSql } from '../../../core/dialect/safe-sql.js';
import { generatedNames } from '../../../schema/names.js';
import { MYSQL_CAPABILITIES } from '../capabilities.js';
import { batches } from './batches.js';
import { checks } from './checks.js';
import { notNullScript, notNullViaCheck } from './not-null.js';
import { online } from './online.js';
import { alterTable, constraints, indexes } from './statements.js';
import { mysqlTriggers } from './triggers.js';

const base = generatedNames(MYSQL_CAPABILITIES.maxIdentifierBytes);

export const MYSQL_SAFE_SQL: SafeSql = {
  names: {
    ...base,
    // The names the server gives what the user left unnamed: an index is named after its first
    // column, a foreign key `<table>_ibfk_<n>`, the primary key PRIMARY.
    // https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html#foreign-key-naming
    server: (table, columns, label) => {
      if (label === 'pkey') return 'PRIMARY';
      if (label === 'fkey') return base.bounded(table.slice(table.indexOf('.') + 1), '_ibfk_1');
      return columns[0] ?? base.server(table, columns, label);
    },
  },
  alterTable,
  constraints,
  notNullViaCheck: (q, table, column, major, options) =>
    notNullViaCheck(base, q, table, column, major, options),
  notNullScript: (q, table, column) => notNullScript(q, table, column),
  indexes,
  checks,
  batches,
  triggers: mysqlTriggers(base),
  online,
};
