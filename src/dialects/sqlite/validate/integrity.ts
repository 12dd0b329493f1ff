/**
 * What SQLite reports about a database itself, after the plan and after its rollback:
 * `PRAGMA integrity_check` (b-trees, indexes matching their tables, NOT NULL and CHECK
 * constraints: https://www.sqlite.org/pragma.html#pragma_integrity_check) and
 * `PRAGMA foreign_key_check` (rows whose parent is missing; SQLite checks foreign keys only as
 * rows change, and not at all while foreign_keys is off, which the 12-step rebuild turns off:
 * https://www.sqlite.org/pragma.html#pragma_foreign_key_check). One line per problem, at most
 * a few of each kind; none when all is well.
 */
import type { SqliteSession } from '../session.js';

const SHOWN = 5;

export function checkIntegrity(session: SqliteSession): string[] {
  const problems: string[] = [];
  const integrity = session
    .rows<{ integrity_check: string }>('PRAGMA integrity_check')
    .map((r) => r.integrity_check)
    .filter((m) => m !== 'ok');
  for (const m of integrity.slice(0, SHOWN)) problems.push(`PRAGMA integrity_check: ${m}`);
  if (integrity.length > SHOWN)
    problems.push(`PRAGMA integrity_check: ${integrity.length - SHOWN} more problem(s)`);
  const orphans = session.rows<{ table: string; rowid: number | null; parent: string; fkid: number }>(
    'PRAGMA foreign_key_check',
  );
  const byKey = new Map<string, { count: number; rowids: (number | null)[] }>();
  for (const o of orphans) {
    const key = `${o.table} → ${o.parent}`;
    const seen = byKey.get(key) ?? { count: 0, rowids: [] };
    seen.count++;
    if (seen.rowids.length < 3) seen.rowids.push(o.rowid);
    byKey.set(key, seen);
  }
  for (const [key, { count, rowids }] of byKey)
    problems.push(
      `PRAGMA foreign_key_check: ${count} row(s) of ${key.replace(' → ', ' reference a missing row of ')} (rowid ${rowids.map(String).join(', ')}${count > rowids.length ? ', …' : ''})`,
    );
  return problems;
}
