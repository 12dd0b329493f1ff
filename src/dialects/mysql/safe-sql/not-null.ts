/**
 * NOT NULL on MySQL and MariaDB: no NOT VALID CHECK to stage it. MODIFY … NOT NULL restates
 * the column and rebuilds the table in place; with ALGORITHM=INPLACE, LOCK=NONE writes go on
 * during the rebuild (measured on MariaDB 10.11 by test/planner/mysql/recipes.test.ts), and it
 * fails without changing anything while a NULL is left (strict mode). So: backfill the NULLs in
 * batches, then MODIFY in place.
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/#alter-table-modify-column
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-column-operations
 */
import type { GeneratedNames, NotNullViaCheck } from '../../../core/dialect/safe-sql.js';
import type { Quoter } from '../../../core/rule.js';
import { alterTable, constraints } from './statements.js';

export function notNullViaCheck(
  names: GeneratedNames,
  q: Quoter,
  table: string,
  column: string,
  _major: number,
  options: { checkName?: string } = {},
): NotNullViaCheck {
  const check = options.checkName ?? names.helper(table, column, 'not_null');
  // Checked against every row as it is added; nothing to validate later, and no SET NOT NULL
  // that could use it.
  return {
    check,
    add: constraints.addNotValid(q, table, check, `CHECK (${q.ident(column)} IS NOT NULL)`),
    validate: constraints.validate(q, table, check),
    finish: null,
  };
}

export function notNullScript(q: Quoter, table: string, column: string): string[] {
  const c = q.ident(column);
  return [
    `-- fill the NULLs first, in batches (each its own transaction):`,
    `UPDATE ${q.table(table)} SET ${c} = <value> WHERE ${c} IS NULL LIMIT 10000; -- repeat until 0 rows`,
    `-- then restate the column with NOT NULL, rebuilt in place while writes go on:`,
    `${alterTable(q, table, `MODIFY ${c} <its type, default and attributes> NOT NULL`)}, ALGORITHM=INPLACE, LOCK=NONE;`,
  ];
}
