/**
 * NOT NULL without a long ACCESS EXCLUSIVE scan: CHECK (col IS NOT NULL) NOT VALID (instant),
 * VALIDATE in a later transaction (SHARE UPDATE EXCLUSIVE: traffic continues), then SET NOT
 * NULL, which PostgreSQL 12+ proves from the validated CHECK without scanning, then drop the
 * CHECK. Before 12 the scan cannot be skipped: the validated CHECK stays as the guarantee.
 * https://www.postgresql.org/docs/current/sql-altertable.html ("SET NOT NULL … the table scan is
 * skipped if a valid CHECK constraint exists that proves no NULL can exist")
 */
import type { GeneratedNames, NotNullViaCheck } from '../../../core/dialect/safe-sql.js';
import type { Quoter } from '../../../core/rule.js';
import { alterTable, constraints } from './statements.js';

export function notNullViaCheck(
  names: GeneratedNames,
  q: Quoter,
  table: string,
  column: string,
  major: number,
  options: { checkName?: string } = {},
): NotNullViaCheck {
  const check = options.checkName ?? names.helper(table, column, 'not_null');
  return {
    check,
    add: constraints.addNotValid(q, table, check, `CHECK (${q.ident(column)} IS NOT NULL)`),
    validate: constraints.validate(q, table, check),
    finish:
      major >= 12
        ? {
            setNotNull: alterTable(q, table, `ALTER COLUMN ${q.ident(column)} SET NOT NULL`),
            dropCheck: constraints.drop(q, table, check),
          }
        : null,
  };
}

/** The same steps as a script to paste, each statement ended, commits and version notes as comments. */
export function notNullScript(
  names: GeneratedNames,
  q: Quoter,
  table: string,
  column: string,
  major: number,
): string[] {
  // PostgreSQL 18 keeps NOT NULL as a catalog constraint named <table>_<column>_not_null: on a
  // column that already is NOT NULL (unknowable without a schema) that name is taken.
  // https://www.postgresql.org/docs/18/release-18.html (NOT NULL constraints in pg_constraint)
  const checkName = names.helper(table, column, major >= 18 ? 'not_null_check' : 'not_null');
  const steps = notNullViaCheck(names, q, table, column, major, { checkName });
  const script = [
    `${steps.add};`,
    '-- commit here: VALIDATE must run in a later transaction',
    `${steps.validate};`,
  ];
  if (steps.finish) {
    script.push(`${steps.finish.setNotNull};`, `${steps.finish.dropCheck};`);
  } else {
    script.push(
      `-- PostgreSQL ${major} cannot use the CHECK to skip the scan; keep it as the NOT NULL guarantee,`,
      '-- or run SET NOT NULL in a quiet window after upgrading to 12+.',
    );
  }
  return script;
}
