/** What our analysis says of a file's last statement, and what SQLite does with it. */
import { readFileSync } from 'node:fs';
import type { ChangeFacts } from '../../../../src/core/analysis.js';
import { analyze } from '../../../../src/api/analyze.js';
import { DEFAULT_CONFIG } from '../../../../src/config/types.js';
import { dialectNamed } from '../../../../src/dialects/index.js';
import type Database from 'better-sqlite3';

/** The facts of the last statement of `sql` (earlier ones build the schema it sees). */
export async function factsOfLast(sql: string, targetVersion?: number): Promise<ChangeFacts> {
  const config = targetVersion === undefined ? DEFAULT_CONFIG : { ...DEFAULT_CONFIG, targetVersion };
  const result = await analyze({
    files: [{ path: 'm.sql', sql, transaction: 'none' }],
    dialect: dialectNamed('sqlite'),
    config,
  });
  const last = result.run.details[result.run.details.length - 1];
  const facts = last?.facts[0];
  if (!facts) throw new Error('no facts');
  return facts;
}

/** The error SQLite raises running `sql`, or null. */
export function runError(db: Database.Database, sql: string): string | null {
  try {
    db.exec(sql);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** How many pages of the database file other than page 1 differ after `sql` commits. */
export function changedPages(db: Database.Database, path: string, sql: string): number {
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const before = readFileSync(path);
  db.exec(sql);
  const after = readFileSync(path);
  let changed = 0;
  for (let offset = pageSize; offset < Math.max(before.length, after.length); offset += pageSize) {
    if (!before.subarray(offset, offset + pageSize).equals(after.subarray(offset, offset + pageSize)))
      changed++;
  }
  return changed;
}

/** Pages the table's rows take (the dbstat virtual table, compiled into better-sqlite3). */
export function tablePages(db: Database.Database, table: string): number {
  return Number(
    (db.prepare('SELECT count(*) AS n FROM dbstat WHERE name = ?').get(table) as { n: number }).n,
  );
}

/** A table `t` with `rows` rows of about 100 bytes, for rewrite and lock measurements. */
export function fill(db: Database.Database, rows: number): void {
  db.exec(
    `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT);
     WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${rows})
     INSERT INTO t (a, b, c) SELECT printf('%090d', x), x, 'c' FROM n;`,
  );
}
