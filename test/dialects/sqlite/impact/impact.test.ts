/**
 * Cross-service impact on SQLite: `schemapilot impact --db app.db` names exactly the queries the
 * library compiles before the migration and refuses after it (each verdict asked of SQLite
 * itself here, on a copy with the migration applied), with SQLite's own message.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImpactResult } from '../../../../src/core/impact.js';
import { runCli } from '../../../support/cli.js';

const SCHEMA = `
  CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT NOT NULL);
  CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, name TEXT);
`;
const MIGRATION = 'ALTER TABLE users DROP COLUMN name';
const QUERIES = [
  'SELECT id, name FROM users WHERE id = $1',
  'SELECT name FROM orders WHERE user_id = $1',
  'SELECT u.email FROM users u JOIN orders o ON o.user_id = u.id',
  'SELECT missing_column FROM users',
];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sp-sqlite-impact-'));
  const db = new Database(join(dir, 'app.db'));
  db.exec(SCHEMA);
  db.close();
  mkdirSync(join(dir, 'billing', 'queries'), { recursive: true });
  writeFileSync(join(dir, 'billing', 'queries', 'users.sql'), `${QUERIES.join(';\n')};\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** SQLite's verdict on a query against a schema: null when it compiles, else its message. */
function compiles(schema: string, sql: string): string | null {
  const db = new Database(':memory:');
  try {
    db.exec(schema);
    db.prepare(sql);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    db.close();
  }
}

it('lists the queries SQLite compiles before the migration and refuses after it', async () => {
  const result = await runCli([
    'impact',
    '--db',
    join(dir, 'app.db'),
    '--change',
    MIGRATION,
    '--service',
    `billing=${join(dir, 'billing')}`,
    '--format',
    'json',
  ]);
  expect(result.code, result.stderr).toBe(1);
  const impact = JSON.parse(result.stdout) as ImpactResult;
  const broken = QUERIES.filter(
    (q) => compiles(SCHEMA, q) === null && compiles(`${SCHEMA};${MIGRATION}`, q) !== null,
  );
  expect(broken).toHaveLength(1);
  const listed = impact.affected_services[0]?.queries ?? [];
  expect(listed.map((q) => q.sql)).toEqual(broken);
  expect(listed[0]?.line).toBe(1);
  expect(listed[0]?.error?.message).toBe(compiles(`${SCHEMA};${MIGRATION}`, broken[0] ?? ''));
  // Already broken before the migration: not blamed on it.
  expect(impact.services[0]?.alreadyBroken.map((q) => q.sql)).toEqual(['SELECT missing_column FROM users']);
});
