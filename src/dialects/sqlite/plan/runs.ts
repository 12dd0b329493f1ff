/**
 * Runs of a SQLite migration's statements that the plan keeps as one step, as written: from
 * `PRAGMA foreign_keys = OFF` to the `PRAGMA foreign_keys = ON` after it (a table rebuild written
 * by hand, as Prisma, Drizzle and people write it), and any `BEGIN … COMMIT` of the user's own.
 * Apart, each statement would be a step in a transaction of the runner's: the PRAGMA would do
 * nothing there, and DROP TABLE would run with foreign_keys ON in a transaction of its own.
 * https://www.sqlite.org/lang_altertable.html#otheralter, https://www.sqlite.org/pragma.html#pragma_foreign_keys
 */
import type { ParsedStatement } from '../../../core/analysis.js';
import { isKeyword, nameOf, significant, tokenize, type Token } from '../rebuild/tokens.js';

export type StatementRole = 'foreign keys off' | 'foreign keys on' | 'begin' | 'end' | 'other';

const OFF = new Set(['OFF', '0', 'FALSE', 'NO']);

function words(sql: string): Token[] {
  return significant(tokenize(sql));
}

/** `PRAGMA [schema.]name = value` or `PRAGMA name(value)`: the name and value, upper-cased. */
export function pragma(sql: string): { name: string; value: string | null } | null {
  const t = words(sql);
  if (!isKeyword(t[0], 'PRAGMA')) return null;
  const at = t[2]?.text === '.' ? 3 : 1;
  const name = nameOf(t[at])?.toUpperCase();
  if (!name) return null;
  const next = t[at + 1]?.text;
  const value = next === '=' ? t[at + 2] : next === '(' ? t[at + 2] : undefined;
  return { name, value: value ? (nameOf(value) ?? value.text).toUpperCase() : null };
}

export function roleOf(sql: string): StatementRole {
  const p = pragma(sql);
  if (p?.name === 'FOREIGN_KEYS' && p.value !== null)
    return OFF.has(p.value) ? 'foreign keys off' : 'foreign keys on';
  const first = words(sql)[0];
  if (isKeyword(first, 'BEGIN')) return 'begin';
  if (isKeyword(first, 'COMMIT') || isKeyword(first, 'END') || isKeyword(first, 'ROLLBACK')) return 'end';
  return 'other';
}

export function findRuns(statements: readonly ParsedStatement[]): { first: number; last: number }[] {
  const roles = statements.map((s) => roleOf(s.sql));
  const runs: { first: number; last: number }[] = [];
  const next = (from: number, role: StatementRole) => roles.findIndex((r, i) => i > from && r === role);
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i];
    if (role !== 'foreign keys off' && role !== 'begin') continue;
    let last: number;
    if (role === 'foreign keys off') {
      const on = next(i, 'foreign keys on');
      const end = next(i, 'end');
      last = on >= 0 ? on : end >= 0 ? end : roles.length - 1;
    } else {
      const end = next(i, 'end');
      last = end >= 0 ? end : roles.length - 1;
      // foreign_keys turned back ON right after the COMMIT belongs to the same run.
      if (roles[last + 1] === 'foreign keys on') last++;
    }
    runs.push({ first: i, last });
    i = last;
  }
  return runs;
}
