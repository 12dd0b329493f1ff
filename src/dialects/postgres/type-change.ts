/**
 * Whether `ALTER COLUMN … TYPE` rewrites the table. PostgreSQL skips the rewrite when the old
 * type is binary-coercible to the new one and the new type modifier cannot reject old values
 * (the varchar / numeric / timestamp "support functions" prove that).
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 * ("… changing the type of an existing column will require the entire table and its indexes
 * to be rewritten. As an exception, when changing the type of an existing column, if the
 * USING clause does not change the column contents and the old type is either binary
 * coercible to the new type or an unconstrained domain over the new type, a table rewrite is
 * not needed. However, indexes must always be rebuilt unless the system can verify that the
 * new index would be logically equivalent to the existing one.")
 * Every case here is checked on real servers by test/facts (cases/types.ts), with and without
 * an index on the column.
 */
import type { TypeRef } from '../../core/change.js';

export interface TypeChangeFact {
  rewrites: boolean;
  /** Existing indexes on the column are rebuilt. */
  rebuildsIndexes: boolean;
  /** The new type may reject existing values (shorter varchar, smaller numeric, int8 → int4). */
  narrows: boolean;
  reason: string;
}

const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval']);
const INT_WIDTH: Record<string, number> = { int2: 2, int4: 4, int8: 8 };

export function typeChangeFact(
  from: TypeRef,
  to: TypeRef,
  options: { major: number; timeZoneIsUtc: boolean; usingChangesValue: boolean },
): TypeChangeFact {
  const rewrite = (reason: string, narrows = false): TypeChangeFact => ({
    rewrites: true,
    rebuildsIndexes: true,
    narrows,
    reason,
  });
  const noRewrite = (reason: string, rebuildsIndexes = false): TypeChangeFact => ({
    rewrites: false,
    rebuildsIndexes,
    narrows: false,
    reason,
  });
  if (options.usingChangesValue) return rewrite('USING computes new values');
  if (from.arrayDims !== to.arrayDims) return rewrite(`${from.sql} → ${to.sql} changes array dimensions`);
  if (from.arrayDims > 0) return arrayChangeFact(from, to, options);

  const sameName = from.name === to.name;
  if (sameName && sameMods(from.modifiers, to.modifiers))
    return noRewrite('same type: no change to the data');

  // Text family: varchar(n) grows or loses its limit, varchar ↔ text.
  if ((from.name === 'varchar' || from.name === 'text') && (to.name === 'varchar' || to.name === 'text')) {
    const oldLimit = from.name === 'varchar' ? from.modifiers[0] : undefined;
    const newLimit = to.name === 'varchar' ? to.modifiers[0] : undefined;
    if (newLimit === undefined) return noRewrite(`${from.sql} → ${to.sql} is binary-coercible`);
    if (oldLimit !== undefined && newLimit >= oldLimit)
      return noRewrite(`${from.sql} → ${to.sql} only raises the limit`);
    return rewrite(`${from.sql} → ${to.sql} must check every value against the shorter limit`, true);
  }
  if (sameName && (from.name === 'varbit' || from.name === 'numeric')) {
    const [oldP, oldS = 0] = from.modifiers;
    const [newP, newS = 0] = to.modifiers;
    if (newP === undefined) return noRewrite(`${from.sql} → ${to.sql} removes the limit`);
    if (from.name === 'numeric' && oldP !== undefined && newS === oldS && newP >= oldP) {
      return noRewrite(`${from.sql} → ${to.sql} only raises the precision`);
    }
    if (from.name === 'varbit' && oldP !== undefined && newP >= oldP)
      return noRewrite(`${from.sql} → ${to.sql} only raises the limit`);
    // numeric(p,s) keeps p - s digits before the point: fewer of them reject values, a smaller
    // scale rounds them. A larger scale with as many integer digits changes nothing.
    const narrows = from.name === 'varbit' || oldP === undefined || newS < oldS || newP - newS < oldP - oldS;
    return rewrite(`${from.sql} → ${to.sql} changes precision or scale`, narrows);
  }
  // char(n) has no length-coercion shortcut: any new length rewrites; a shorter one may fail.
  if (sameName && from.name === 'bpchar') {
    const [oldLength = 1] = from.modifiers;
    const [newLength = 1] = to.modifiers;
    return rewrite(`${from.sql} → ${to.sql} pads or checks every value`, newLength < oldLength);
  }
  if (sameName && TIME_TYPES.has(from.name)) {
    const oldP = from.modifiers[0];
    const newP = to.modifiers[0];
    if (newP === undefined || (oldP !== undefined && newP >= oldP))
      return noRewrite(`${from.sql} → ${to.sql} keeps every value`);
    return rewrite(`${from.sql} → ${to.sql} rounds values to lower precision`, true);
  }
  // timestamp ↔ timestamptz: no rewrite since PostgreSQL 12 when the session time zone is UTC.
  if (
    (from.name === 'timestamp' && to.name === 'timestamptz') ||
    (from.name === 'timestamptz' && to.name === 'timestamp')
  ) {
    if (options.major >= 12 && options.timeZoneIsUtc) {
      return noRewrite(
        `${from.sql} → ${to.sql} needs no rewrite on PostgreSQL 12+ when TimeZone is UTC`,
        true,
      );
    }
    return rewrite(
      options.major >= 12
        ? `${from.sql} → ${to.sql} rewrites unless the session TimeZone is UTC`
        : `${from.sql} → ${to.sql} rewrites before PostgreSQL 12`,
    );
  }
  // Both use the inet operator classes, so an index on the column stays valid as it is.
  if (from.name === 'cidr' && to.name === 'inet') return noRewrite('cidr → inet is binary-coercible');
  const fromWidth = INT_WIDTH[from.name];
  const toWidth = INT_WIDTH[to.name];
  if (fromWidth !== undefined && toWidth !== undefined) {
    return rewrite(`${from.sql} → ${to.sql} changes the storage size`, toWidth < fromWidth);
  }
  // Anything converts to unlimited text or varchar; other conversions may fail on some value.
  const unlimitedText = (to.name === 'text' || to.name === 'varchar') && to.modifiers.length === 0;
  return rewrite(`${from.sql} → ${to.sql} converts every value`, !unlimitedText);
}

/**
 * Arrays are converted element by element (an ArrayCoerceExpr), which ALTER TABLE always treats
 * as a rewrite, even for varchar(n)[] → text[]. Only dropping the element's type modifier
 * (varchar(10)[] → varchar[], numeric(10,2)[] → numeric[]) is a plain relabel. Measured on
 * 10, 11, 15 and 18 by test/facts; ATColumnChangeRequiresRewrite in src/backend/commands/tablecmds.c.
 */
function arrayChangeFact(
  from: TypeRef,
  to: TypeRef,
  options: { major: number; timeZoneIsUtc: boolean; usingChangesValue: boolean },
): TypeChangeFact {
  if (from.name === to.name && (to.modifiers.length === 0 || sameMods(from.modifiers, to.modifiers))) {
    return {
      rewrites: false,
      rebuildsIndexes: false,
      narrows: false,
      reason: `${from.sql} → ${to.sql} only drops the element limit`,
    };
  }
  const element = typeChangeFact({ ...from, arrayDims: 0 }, { ...to, arrayDims: 0 }, options);
  return {
    rewrites: true,
    rebuildsIndexes: true,
    narrows: element.narrows,
    reason: `${from.sql} → ${to.sql} converts every element`,
  };
}

function sameMods(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
