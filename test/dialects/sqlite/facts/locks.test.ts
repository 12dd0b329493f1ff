/**
 * The lock model (core/locks.ts SQLITE_LOCKS, decision 0033) on the real library: a second
 * connection to the same file tries to read and to write while the first holds a migration's
 * transaction open. busy_timeout 0: a wait shows at once as SQLITE_BUSY.
 * https://www.sqlite.org/lockingv3.html https://www.sqlite.org/wal.html
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockedTraffic, SQLITE_LOCKS } from '../../../../src/core/locks.js';
import { tempDatabase } from '../support.js';
import { factsOfLast, fill } from './support.js';

let db: Database.Database;
let path: string;
let close: () => void;
let other: Database.Database;
beforeEach(() => {
  ({ db, path, close } = tempDatabase());
  fill(db, 20000);
  other = new Database(path, { timeout: 0 });
});
afterEach(() => {
  other.close();
  close();
});

function traffic(): { reads: boolean; writes: boolean } {
  const blocked = (f: () => unknown): boolean => {
    try {
      f();
      return false;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
      throw error;
    }
  };
  return {
    reads: blocked(() => other.prepare('SELECT count(*) FROM t').get()),
    writes: blocked(() => other.exec('CREATE TABLE IF NOT EXISTS elsewhere (x)')),
  };
}

const TABLE = 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT);\n';

describe('the database write lock', () => {
  it('an in-place ALTER holds RESERVED: writers to any table wait, readers go on', async () => {
    db.exec('BEGIN; ALTER TABLE t ADD COLUMN d TEXT');
    expect(traffic()).toEqual({ reads: false, writes: true });
    db.exec('ROLLBACK');
    const facts = await factsOfLast(`${TABLE}ALTER TABLE t ADD COLUMN d TEXT;`);
    expect(facts.locks.map((l) => l.mode)).toEqual(['RESERVED']);
    expect(blockedTraffic('RESERVED', SQLITE_LOCKS)).toEqual({ reads: false, writes: true });
  });

  it('a rewrite larger than the page cache holds EXCLUSIVE in rollback-journal mode: readers wait too', async () => {
    db.pragma('cache_size = 10');
    db.exec('BEGIN; ALTER TABLE t DROP COLUMN c');
    expect(traffic()).toEqual({ reads: true, writes: true });
    db.exec('ROLLBACK');
    const facts = await factsOfLast(`${TABLE}ALTER TABLE t DROP COLUMN c;`);
    expect(facts.locks.map((l) => l.mode)).toEqual(['EXCLUSIVE']);
    expect(blockedTraffic('EXCLUSIVE', SQLITE_LOCKS)).toEqual({ reads: true, writes: true });
  });

  it('in WAL mode the same rewrite lets readers go on, and the facts follow the PRAGMA', async () => {
    db.pragma('journal_mode = WAL');
    db.pragma('cache_size = 10');
    db.exec('BEGIN; ALTER TABLE t DROP COLUMN c');
    expect(traffic()).toEqual({ reads: false, writes: true });
    db.exec('ROLLBACK');
    const facts = await factsOfLast(`PRAGMA journal_mode = WAL;\n${TABLE}ALTER TABLE t DROP COLUMN c;`);
    expect(facts.locks.map((l) => l.mode)).toEqual(['RESERVED']);
  });
});

describe('transactions', () => {
  it('DDL rolls back with its transaction (transactionalDdl)', () => {
    db.exec('BEGIN; ALTER TABLE t DROP COLUMN c; ALTER TABLE t RENAME TO u; ROLLBACK');
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 't'").pluck().get()).toMatch(/c TEXT/);
  });

  it('PRAGMA foreign_keys does nothing inside a transaction; journal_mode=WAL and VACUUM fail there', async () => {
    db.pragma('foreign_keys = ON');
    db.exec('BEGIN; PRAGMA foreign_keys = OFF');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.exec('PRAGMA journal_mode = WAL')).toThrow(
      'cannot change into wal mode from within a transaction',
    );
    expect(() => db.exec('VACUUM')).toThrow('cannot VACUUM from within a transaction');
    db.exec('ROLLBACK');
    expect((await factsOfLast('PRAGMA foreign_keys = OFF;')).notes[0]).toMatch(
      /no effect inside a transaction/,
    );
    expect((await factsOfLast('PRAGMA journal_mode = WAL;')).transactional).toBe(false);
    expect((await factsOfLast('VACUUM;')).transactional).toBe(false);
  });
});
